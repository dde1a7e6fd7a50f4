// Progressive enhancement only: every page works without this file.
// Confirm before leaving a half-filled form is deliberately not done: office users find it noisy.
document.addEventListener("htmx:responseError", function (event) {
  // Show a plain message instead of failing silently when a partial request fails.
  var target = event.detail.target;
  if (target) {
    var div = document.createElement("div");
    div.className = "alert alert-danger m-3";
    div.setAttribute("role", "alert");
    div.textContent = document.documentElement.lang.indexOf("zh") === 0
      ? "请求失败，请刷新页面后重试。" : "The request failed; reload the page and try again.";
    target.prepend(div);
  }
});
document.addEventListener("focusin", function (event) {
  // A masked personal-data input (138****8000): select it all, so typing replaces it rather than
  // mixing new digits into the stars.
  var input = event.target;
  if (input.hasAttribute && input.hasAttribute("data-masked") && input.value.indexOf("*") !== -1) {
    input.select();
  }
});

// Lists (core/object_list*.html). Everything here has a no-JavaScript fallback in the page itself.
document.documentElement.classList.add("yiti-js");

// The region picker: the grouped select (its no-JS form) becomes linked 省 → 市 → 县 selects that
// write the deepest chosen division back into it, so the form submits exactly as before.
function yitiCascade(select) {
  if (select.dataset.cascadeReady) { return; }
  select.dataset.cascadeReady = "1";
  var levels = (select.dataset.levels || "").split(",");
  var all = select.dataset.all || "";
  var nodes = {};
  var children = {};
  Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
    if (!option.value) { return; }
    var parent = option.getAttribute("data-parent") || "";
    nodes[option.value] = { value: option.value, label: option.textContent, parent: parent };
    (children[parent] = children[parent] || []).push(nodes[option.value]);
  });
  var chain = [];
  for (var v = select.value; v && nodes[v]; v = nodes[v].parent) { chain.unshift(v); }
  var box = document.createElement("div");
  box.className = "d-flex gap-1 yiti-cascade-box";
  var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
  var selects = levels.map(function (level, i) {
    var s = document.createElement("select");
    s.className = "form-select yiti-cascade-level";
    s.setAttribute("aria-label", (label ? label.textContent.trim() : "") + " " + level);
    s.dataset.level = String(i);
    box.appendChild(s);
    return s;
  });
  function fill(i, parent, chosen) {
    var s = selects[i];
    var list = parent ? (children[parent] || []) : (i === 0 ? children[""] || [] : []);
    s.innerHTML = "";
    s.add(new Option(all, ""));
    list.forEach(function (node) { s.add(new Option(node.label, node.value, false, node.value === chosen)); });
    s.disabled = list.length === 0;
  }
  fill(0, "", chain[0]);
  for (var i = 1; i < selects.length; i++) { fill(i, chain[i - 1], chain[i]); }
  selects.forEach(function (s, i) {
    s.addEventListener("change", function () {
      for (var j = i + 1; j < selects.length; j++) { fill(j, j === i + 1 ? s.value : "", null); }
      var value = "";
      selects.forEach(function (x) { if (x.value) { value = x.value; } });
      select.value = value;
    });
  });
  if (label && select.id) { selects[0].id = select.id + "_level0"; label.setAttribute("for", selects[0].id); }
  select.classList.add("d-none");
  select.setAttribute("aria-hidden", "true");
  select.parentNode.insertBefore(box, select.nextSibling);
}

function yitiEnhance(root) {
  Array.prototype.forEach.call(root.querySelectorAll("select.yiti-cascade"), yitiCascade);
}
document.addEventListener("DOMContentLoaded", function () { yitiEnhance(document); });
document.addEventListener("htmx:load", function (event) { yitiEnhance(event.detail.elt); });

document.addEventListener("change", function (event) {
  var target = event.target;
  // The header checkbox ticks every row of the page.
  if (target.classList.contains("yiti-select-all")) {
    var table = target.closest("table");
    Array.prototype.forEach.call(table.querySelectorAll("input.yiti-select"), function (box) { box.checked = target.checked; });
  }
  // The page-size select applies at once (its 确定 button is the no-JS way).
  if (target.hasAttribute("data-autosubmit") && target.form) {
    if (target.form.requestSubmit) { target.form.requestSubmit(); } else { target.form.submit(); }
  }
});

