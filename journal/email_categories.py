"""The category of every e-mail the site sends, declared once.

A person chooses, per optional category, whether its e-mails come at once, in a daily digest
or not at all; the other categories are always sent at once. Every template under an
`emails/` folder has an entry here (a test keeps it so); a template missing from it is
treated as mandatory, so a forgotten entry never silently drops mail.
"""

from journal.enums import EmailCategory

C = EmailCategory

#: Template name (without `.txt`) -> category.
TEMPLATE_CATEGORIES: dict[str, str] = {
    # Discussion
    "reviews/emails/comment_posted": C.DISCUSSION,
    # Reminders
    "journal/emails/away_reminder": C.REMINDERS,
    "reviews/emails/reminder_approval": C.REMINDERS,
    "reviews/emails/reminder_bids": C.REMINDERS,
    "reviews/emails/reminder_decision": C.REMINDERS,
    "reviews/emails/reminder_editor_assignment": C.REMINDERS,
    "reviews/emails/reminder_invitation": C.REMINDERS,
    "reviews/emails/reminder_recommendation": C.REMINDERS,
    "reviews/emails/reminder_review": C.REMINDERS,
    "reviews/emails/reminder_reviewer_assignment": C.REMINDERS,
    # Status changes
    "journal/dashboard/emails/role_invitation_answered": C.STATUS,
    "journal/emails/action_editor_assigned_authors": C.STATUS,
    "journal/emails/editor_camera_ready": C.STATUS,
    "journal/emails/editor_new_submission": C.STATUS,
    "journal/emails/phase_entered": C.STATUS,
    "journal/emails/published": C.STATUS,
    "journal/emails/withdrawn": C.STATUS,
    "reviews/emails/flag_resolved": C.STATUS,
    "reviews/emails/invitation_accepted": C.STATUS,
    "reviews/emails/invitation_declined": C.STATUS,
    "reviews/emails/recommendation_submitted": C.STATUS,
    "reviews/emails/review_extended": C.STATUS,
    "reviews/emails/review_submitted": C.STATUS,
    "reviews/emails/reviews_released_reviewer": C.STATUS,
    # Mandatory: what the authors must receive about their papers
    "journal/emails/submission_received": C.DECISIONS,
    "journal/emails/decision": C.DECISIONS,
    "journal/emails/retracted": C.DECISIONS,
    "reviews/emails/reviews_released": C.DECISIONS,
    "reviews/emails/meta_review_released": C.DECISIONS,
    # Mandatory: invitations and their withdrawal
    "reviews/emails/invitation": C.INVITATIONS,
    "reviews/emails/invitation_withdrawn": C.INVITATIONS,
    "journal/emails/claim_invitation": C.INVITATIONS,
    "journal/dashboard/emails/role_invitation": C.ROLE_INVITATIONS,
    # Mandatory: work given to the person, and requests only they can answer
    "journal/emails/action_editor_assigned": C.ASSIGNMENTS,
    "reviews/emails/invitation_accepted_reviewer": C.ASSIGNMENTS,
    "reviews/emails/escalation": C.ASSIGNMENTS,
    "reviews/emails/decision_awaiting_approval": C.ASSIGNMENTS,
    "reviews/emails/decision_returned": C.ASSIGNMENTS,
    "reviews/emails/review_flagged": C.ASSIGNMENTS,
    # The digest itself
    "journal/emails/digest": C.DIGEST,
}

#: What each category holds, in the words of the preferences page and the API.
CATEGORY_HELP: dict[str, str] = {
    C.DISCUSSION: "New comments in the discussions of papers you review, handle or wrote.",
    C.REMINDERS: "Reminders of reviews, answers, bids and decisions that are due or late.",
    C.STATUS: "News about papers and venues: reviews submitted, invitations answered, "
    "papers withdrawn or published, phases entered.",
    C.DECISIONS: "The receipt of your submission, its reviews, meta-review and decision.",
    C.INVITATIONS: "Invitations to review a paper (and their withdrawal), to claim an authorship.",
    C.ROLE_INVITATIONS: "Invitations to be a reviewer, editor or chair at a venue.",
    C.ASSIGNMENTS: "Papers given to you to handle or review, and approvals only you can give.",
    C.ACCOUNT: "Confirming your address and resetting your password.",
    C.DIGEST: "The day's held messages, once a day.",
}

#: Template folders whose every message has one category (the account e-mails of allauth:
#: sign-up confirmation, password reset; sent by allauth, never held or turned off).
FOLDER_CATEGORIES: dict[str, str] = {
    "account/email/": C.ACCOUNT,
}


def email_category_of(*, template: str) -> str:
    """Return the category of `template` (mandatory when it is not declared)."""
    category = TEMPLATE_CATEGORIES.get(template)
    if category is not None:
        return category
    for folder, folder_category in FOLDER_CATEGORIES.items():
        if template.startswith(folder):
            return folder_category
    return C.ASSIGNMENTS
