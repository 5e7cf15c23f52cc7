(function () {
  "use strict";
  var ids = ["severity", "kind", "outlet", "status"];
  var controls = ids.map(function (id) { return document.getElementById("filter-" + id); });
  function wanted() {
    var w = {};
    controls.forEach(function (c, i) { w[ids[i]] = c ? c.value : ""; });
    return w;
  }
  function apply() {
    var w = wanted(), shown = 0;
    document.querySelectorAll("[data-finding]").forEach(function (el) {
      var ok = (!w.severity || el.dataset.severity === w.severity) &&
        (!w.kind || el.dataset.kind === w.kind) &&
        (!w.status || el.dataset.status === w.status) &&
        (!w.outlet || el.dataset.outlets.split(" ").indexOf(w.outlet) >= 0);
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll("[data-single]").forEach(function (el) {
      el.hidden = !!w.outlet && el.dataset.outlet !== w.outlet;
    });
    var count = document.getElementById("shown");
    if (count) { count.textContent = String(shown); }
  }
  controls.forEach(function (c) { if (c) { c.addEventListener("change", apply); } });
  // Filters can be set from the address: report.html#severity=high&status=open
  var hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
  hash.split("&").forEach(function (part) {
    var kv = part.split("="), i = ids.indexOf(kv[0]);
    if (i >= 0 && controls[i]) { controls[i].value = kv[1] || ""; }
  });
  apply();
})();
