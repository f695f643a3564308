/* The bidding page: number keys choose a bid, a refused bid goes back to the saved one.
   The page works without this file (each bid form then has a Save button). */
(function () {
  "use strict";

  function statusOf(form) { return form.querySelector(".bid-status"); }

  /* 1 to 6 on a paper choose its bid level, as if the radio button had been picked. */
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (!/^[1-6]$/.test(event.key)) { return; }
    var target = event.target;
    if (target.matches("input[type=text], input[type=search], textarea, select")) { return; }
    var paper = target.closest("[data-paper]");
    if (!paper) { return; }
    var radio = paper.querySelector('input[type=radio][data-key="' + event.key + '"]');
    if (!radio || radio.disabled) { return; }
    event.preventDefault();
    if (!radio.checked) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
    radio.focus();
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest("[data-bid-form]");
    if (form) { statusOf(form).textContent = "Saving…"; }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest("[data-bid-form]");
    if (!form) { return; }
    var checked = form.querySelector("input[type=radio]:checked");
    if (event.detail.successful) {
      if (checked) { form.dataset.saved = checked.value; }
      return;
    }
    /* Refused or failed: show why, and put the saved bid back. */
    var xhr = event.detail.xhr;
    var text = "Your bid could not be saved; try again.";
    if (xhr && xhr.status >= 400 && xhr.status < 500 && xhr.responseText) {
      text = new DOMParser().parseFromString(xhr.responseText, "text/html").body.textContent.trim() || text;
    }
    var saved = form.querySelector('input[type=radio][value="' + form.dataset.saved + '"]');
    if (saved) { saved.checked = true; }
    var status = statusOf(form);
    status.textContent = "";
    var span = document.createElement("span");
    span.className = "error";
    span.textContent = text;
    status.appendChild(span);
  });
})();
