// The page's own script (not the widget's): copies the snippet for the portal team.
(function () {
  var button = document.getElementById("copy-snippet");
  var status = document.getElementById("copy-status");
  button.addEventListener("click", function () {
    var text = document.getElementById("snippet").textContent;
    var done = function () { status.textContent = "Đã sao chép."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { status.textContent = "Hãy chọn và sao chép thủ công."; });
    } else {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById("snippet"));
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      status.textContent = document.execCommand("copy") ? "Đã sao chép." : "Hãy nhấn Ctrl+C để sao chép.";
    }
  });
})();
