"""Install the shipped review form templates: Peerless balanced, TMLR and NeurIPS-style."""

from django.db import migrations


def ship_forms(apps, schema_editor):
    from reviews.services.form_templates import install_templates

    install_templates(
        apps.get_model("reviews", "ReviewForm"), apps.get_model("reviews", "ReviewFormField")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [migrations.RunPython(ship_forms, migrations.RunPython.noop)]
