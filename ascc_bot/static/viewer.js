/* Section viewer: highlight the section named in the URL fragment and mark the cited quote.
 * Opened from a citation as /doc/{doc_id}?q=<quote>#<section_id>. The page reads fine without it. */
(function () {
  "use strict";
  var note = document.getElementById("cite-note");
  var text = document.querySelector(".doc .text");

  function targetSection() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }
    return { id: id, node: id ? document.getElementById(id) : null };
  }

  // Wraps the first occurrence of `line` inside `root` in <mark>; the quote is verbatim document text,
  // and each block or heading is one text node, so a plain indexOf finds it.
  function markIn(root, line) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentNode && node.parentNode.nodeName === "MARK") { continue; }
      var at = node.data.indexOf(line);
      if (at < 0) { continue; }
      var range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + line.length);
      var mark = document.createElement("mark");
      mark.className = "quote";
      range.surroundContents(mark);
      return mark;
    }
    return null;
  }

  function markQuote(section) {
    var quote = new URLSearchParams(location.search).get("q") || "";
    var lines = quote.split(/\n+/).map(function (l) { return l.trim(); }).filter(Boolean);
    var roots = section ? [section, text] : [text]; // the cited section first, the whole text if not there
    for (var i = 0; i < roots.length && lines.length; i++) {
      var marks = lines.map(function (line) { return markIn(roots[i], line); }).filter(Boolean);
      if (marks.length) { return marks; }
    }
    return [];
  }

  function show(message) {
    note.textContent = message;
    note.hidden = !message;
  }

  function highlight(first) {
    var target = targetSection();
    Array.prototype.forEach.call(document.querySelectorAll(".sec.cited"), function (el) {
      el.classList.remove("cited");
    });
    if (target.id && !target.node) {
      show("Văn bản này không có mục “" + target.id + "”. Dưới đây là toàn văn.");
      return;
    }
    if (target.node) { target.node.classList.add("cited"); }
    if (!first) { return; }
    var marks = markQuote(target.node);
    if (marks.length) {
      show("Câu trả lời trích dẫn đoạn được tô màu vàng.");
      // beside the quote, where the reader lands, not at the top of the page
      var section = marks[0].closest(".sec");
      if (section) { section.appendChild(note); }
      var box = marks[0].getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) { marks[0].scrollIntoView({ block: "center" }); }
    } else if (target.node) {
      target.node.scrollIntoView({ block: "start" }); // the note above may have pushed it down
    }
  }

  highlight(true);
  window.addEventListener("hashchange", function () { highlight(false); });
})();
