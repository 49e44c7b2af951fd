// The HTML report's filters: severity, tag and rule. The URL hash sets them
// too (#severity=error,warning&tag=T&rule=ID), so a filtered view can be
// linked, and tests can drive it without clicking.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=severity]"));

  function apply() {
    var severities = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var tag = form.elements.tag.value;
    var rule = form.elements.rule.value;
    var shown = 0;
    findings.forEach(function (f) {
      var visible = severities.indexOf(f.dataset.severity) >= 0 &&
        (!tag || f.dataset.tags.split(" ").indexOf(tag) >= 0) &&
        (!rule || f.dataset.rule === rule);
      f.hidden = !visible;
      if (visible) { shown += 1; }
    });
    var filtered = shown < findings.length;
    document.querySelectorAll(".group").forEach(function (g) {
      g.hidden = !g.querySelector(".finding:not([hidden])");
    });
    // While filtering, a file with nothing to show is hidden too.
    document.querySelectorAll(".file").forEach(function (s) {
      s.hidden = filtered && !s.querySelector(".finding:not([hidden])");
    });
    document.getElementById("shown").textContent = String(shown);
    // Said in words too, so that a printed, filtered report says it is partial.
    var note = document.getElementById("filter-note");
    note.hidden = !filtered;
    note.textContent = filtered ? "已筛选：显示 " + shown + " / " + findings.length +
      " 项问题 Filtered: showing " + shown + " of " + findings.length + " findings" : "";
  }

  function fromHash() {
    var params = new URLSearchParams(window.location.hash.slice(1));
    if (params.has("severity")) {
      var wanted = params.get("severity").split(",");
      boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    }
    if (params.has("tag")) { form.elements.tag.value = params.get("tag"); }
    if (params.has("rule")) { form.elements.rule.value = params.get("rule"); }
    apply();
  }

  form.addEventListener("change", apply);
  window.addEventListener("hashchange", fromHash);
  // Printing shows every value the assertions read.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.others").forEach(function (d) { d.open = true; });
  });
  fromHash();
})();
