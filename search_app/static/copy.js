// Copy a passage's citation to the clipboard; select it where the clipboard API is unavailable.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  var done = function () { button.textContent = "已复制"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    var range = document.createRange();
    range.selectNodeContents(button.parentNode.querySelector(".citation-text"));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
});
