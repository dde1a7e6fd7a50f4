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
