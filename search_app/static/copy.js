// Copy a citation to the clipboard, and show it selected under the button: over plain http
// (not a secure context) the clipboard API is missing, and the reader can still press Ctrl+C.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  var shown = button.parentNode.querySelector("textarea.copied");
  if (!shown) {
    shown = document.createElement("textarea");
    shown.className = "copied";
    shown.readOnly = true;
    shown.setAttribute("aria-label", "引文");
    button.parentNode.appendChild(shown);
  }
  shown.value = text;
  shown.select();
  var done = function () { button.textContent = "已复制"; };
  var legacy = function () {
    try { if (document.execCommand("copy")) done(); } catch (e) { /* text stays selected */ }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, legacy);
  } else {
    legacy();
  }
});
