// Show each <time data-local-time datetime="..."> in the reader's own time zone.
(function () {
  "use strict";
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var moment = new Date(el.getAttribute("datetime"));
    if (isNaN(moment.getTime())) { return; }
    el.textContent = "(" + moment.toLocaleString(undefined, {
      weekday: "short", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    }) + ")";
  });
})();
