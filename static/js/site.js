// Progressive enhancements shared by every page; each page works without them.
(function () {
  "use strict";

  // Escape closes the open « Menu » disclosure and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var menu = document.querySelector(".nav-menu[open]");
    if (menu && (menu.contains(document.activeElement) || document.activeElement === document.body)) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // A table or chart wider than its box scrolls inside it: a written cue above the box says so, only while it
  // overflows (the edge shadows of the stylesheet say it without this script). The cue is visual help about
  // scrolling; the box itself is a named, focusable region for keyboard and screen reader users.
  function markScrollables() {
    var text = document.body.getAttribute("data-scroll-hint");
    document.querySelectorAll(".table-scroll, .chart-scroll").forEach(function (box) {
      var overflowing = box.scrollWidth > box.clientWidth + 1;
      var previous = box.previousElementSibling;
      var hint = previous && previous.classList.contains("scroll-hint") ? previous : null;
      if (overflowing && !hint && text) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = text;
        box.parentNode.insertBefore(hint, box);
      } else if (!overflowing && hint) {
        hint.remove();
      }
    });
  }

  // A form the server asks to send as soon as the page is shown (the download of one's personal data, once the
  // password is confirmed); without this script, its button does the same.
  function submitOnLoad() {
    document.querySelectorAll("form[data-submit-on-load]").forEach(function (form) {
      form.removeAttribute("data-submit-on-load");
      form.submit();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", submitOnLoad);
  } else {
    submitOnLoad();
  }

  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        markScrollables();
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", schedule);
  } else {
    schedule();
  }
  window.addEventListener("resize", schedule);
  document.addEventListener("htmx:afterSettle", schedule);

  // An htmx swap that replaces the control holding the focus (the button of a comment's form, of a note's row)
  // would drop the focus to the start of the page: it goes to the message the swap brought instead, which
  // says what happened (« Commentaire publié. », « … est ajouté. »). Keyboard users stay where they were and
  // screen readers read the result. A swap that leaves the focus in place (an autosave) moves nothing.
  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    var scope = event.target;
    if ((active && active !== document.body) || !scope || !scope.isConnected || !scope.querySelectorAll) {
      return;
    }
    var said = Array.prototype.slice.call(scope.querySelectorAll("[role=status], [role=alert]"));
    if (scope.matches("[role=status], [role=alert]")) {
      said.unshift(scope);
    }
    var message = said.find(function (element) {
      return element.textContent.trim() && element.getClientRects().length;
    });
    if (message) {
      if (!message.hasAttribute("tabindex")) {
        message.setAttribute("tabindex", "-1");
      }
      message.focus();
    }
  });
})();
