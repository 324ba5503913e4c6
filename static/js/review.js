// The review's htmx forms (comments, replies, private notes). When a form cannot reach the server (offline)
// or is turned away (session expired, rights changed), htmx swaps nothing: the typed text stays in the page,
// and this says why, so the person can send it again.
(function () {
  "use strict";

  if (window.fabriqueReviewForms) {
    return;
  }
  window.fabriqueReviewForms = true;

  function formOf(event) {
    var element = event.detail && event.detail.elt;
    return element && element.closest ? element.closest("form[data-msg-failed]") : null;
  }

  function show(event, key) {
    var form = formOf(event);
    var status = form && form.querySelector(".form-status");
    if (status) {
      status.textContent = form.dataset[key];
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    show(event, "msgSending");
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event, "msgOffline");
  });
  // A « voir plus » is replaced by the threads it brought: the focus goes to the first of them, where the
  // link was, rather than back to the top of the page.
  document.addEventListener("htmx:afterSettle", function () {
    var first = document.querySelector("[data-focus-on-load]");
    if (first) {
      first.removeAttribute("data-focus-on-load");
      first.focus();
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    show(event, status === 401 || status === 403 ? "msgExpired" : "msgFailed");
  });
})();
