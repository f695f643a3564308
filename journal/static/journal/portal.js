/* Peerless: small enhancements of server-rendered pages. Every page works without them. */
(function () {
  "use strict";

  /* The server writes times in the reader's zone: the profile's, else the one this browser
     reports in the cookie below. Without either (a first visit) the page came in UTC: send
     the browser's zone for the next pages and write this page's times in it already. */
  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function rememberZone() {
    var zone = browserZone();
    if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) { return ""; }
    var current = document.cookie.split("; ").filter(function (c) {
      return c.indexOf("peerless_tz=") === 0;
    })[0];
    if (current !== "peerless_tz=" + zone) {
      document.cookie = "peerless_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax" +
        (window.location.protocol === "https:" ? "; Secure" : "");
    }
    return zone;
  }

  function localTimes(root) {
    var zone = rememberZone();
    if (!zone || document.documentElement.getAttribute("data-zone-source") !== "default") {
      return;
    }
    root.querySelectorAll("time[data-when]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) { return; }
      var options = { day: "numeric", month: "short", year: "numeric", timeZone: zone };
      if (el.getAttribute("data-when") !== "date") {
        options.hour = "2-digit";
        options.minute = "2-digit";
        options.hourCycle = "h23";
        options.timeZoneName = "short";
      }
      try {
        el.textContent = when.toLocaleString("en-GB", options);
      } catch (error) { /* keep the server's UTC */ }
    });
  }

  /* Typeset the $...$ and $$...$$ spans the server marked as math (vendored KaTeX). */
  function typeset(root) {
    if (!window.katex) { return; }
    root.querySelectorAll(".math:not([data-typeset])").forEach(function (el) {
      var source = el.textContent.trim();
      var display = source.indexOf("$$") === 0;
      var tex = source.replace(/^\$\$?/, "").replace(/\$\$?$/, "");
      el.setAttribute("data-typeset", "1");
      el.setAttribute("title", source);
      try {
        window.katex.render(tex, el, { displayMode: display, throwOnError: false });
      } catch (error) {
        el.textContent = source;
      }
    });
  }

  /* Send a form once: later clicks while it is on its way do nothing. */
  function submitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        var keep = document.createElement("input");
        keep.type = "hidden";
        keep.name = submitter.name;
        keep.value = submitter.value;
        form.appendChild(keep);
      }
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
          b.disabled = true;
          b.setAttribute("aria-disabled", "true");
        });
      }, 0);
    });
  }

  /* Add a row to a formset table from its <template>. */
  function addRow(button) {
    var prefix = button.getAttribute("data-add-row");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !rows || !total) { return; }
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  }

  /* Live preview of Markdown with math, rendered (and sanitised) by the server: the same
     renderer as the pages. Debounced; a refusal (too long, too fast) is shown in its place. */
  function preview(textarea, target) {
    if (!textarea || !target || target.dataset.previewBound) { return; }
    target.dataset.previewBound = "1";
    var url = target.getAttribute("data-preview-url");
    var form = textarea.form;
    var tokenInput = (form && form.querySelector("input[name=csrfmiddlewaretoken]")) ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var sent = 0;
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var body = new FormData();
        var mine = ++sent;
        body.append("text", textarea.value);
        fetch(url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" }
        }).then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          return type.indexOf("text/html") === 0 ? response.text() : null;
        }).then(function (html) {
          if (html === null || mine !== sent) { return; }
          target.innerHTML = html;
          typeset(target);
        }).catch(function () { /* keep the last preview */ });
      }, 400);
    });
  }

  /* A "Reply" link fills in which comment the form below answers. */
  function replyLink(link) {
    link.addEventListener("click", function () {
      var parent = document.getElementById("id_parent");
      var note = document.getElementById("replying");
      if (parent) { parent.value = link.getAttribute("data-reply"); }
      if (note) { note.textContent = link.getAttribute("data-reply-label"); }
    });
  }

  function init() {
    localTimes(document);
    document.querySelectorAll("a[data-reply]").forEach(replyLink);
    typeset(document);
    document.querySelectorAll("form[data-once]").forEach(submitOnce);
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(button); });
    });
    document.querySelectorAll("textarea[data-preview]").forEach(function (textarea) {
      preview(textarea, document.getElementById(textarea.getAttribute("data-preview")));
    });
    document.querySelectorAll("[data-preview-for]").forEach(function (target) {
      preview(document.getElementById(target.getAttribute("data-preview-for")), target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
