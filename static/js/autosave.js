// Autosave of the deliverables' answers. htmx sends each save (the form's hx-post, triggered by the
// "autosave" event); this file decides when: 1.5 s after typing stops and when the field loses focus, one save
// at a time per answer. A save that cannot reach the server (offline, expired session) keeps the text in the
// page, says so, and is retried when the connection comes back or on "Réessayer".
(function () {
  "use strict";

  var DELAY = 1500;
  var states = new WeakMap();

  function stateOf(form) {
    var state = states.get(form);
    if (!state) {
      var textarea = form.querySelector("textarea[name=text]");
      state = { textarea: textarea, sent: textarea.value, saved: textarea.value, timer: null, busy: false, failed: false };
      states.set(form, state);
    }
    return state;
  }

  function statusOf(form) {
    return form.querySelector(".autosave-status");
  }

  function show(form, kind, message) {
    form.dataset.state = kind;
    var status = statusOf(form);
    if (message !== undefined) {
      status.textContent = message;
    }
    form.querySelector(".autosave-retry").hidden = kind !== "offline" && kind !== "expired" && kind !== "failed";
  }

  function isDirty(form) {
    var state = stateOf(form);
    return state.textarea.value !== state.saved;
  }

  function save(form) {
    var state = stateOf(form);
    clearTimeout(state.timer);
    if (state.busy || form.dataset.state === "conflict" || !isDirty(form)) {
      return;
    }
    state.busy = true;
    state.sent = state.textarea.value;
    show(form, "saving", form.dataset.msgSaving);
    htmx.trigger(form, "autosave");
  }

  function schedule(form) {
    var state = stateOf(form);
    clearTimeout(state.timer);
    if (form.dataset.state !== "offline" && form.dataset.state !== "expired" && form.dataset.state !== "conflict") {
      show(form, "dirty", form.dataset.msgDirty);
    }
    state.timer = setTimeout(function () { save(form); }, DELAY);
  }

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form.autosave") : null;
  }

  // Every editor, including those htmx brings in, starts clean: its text is the saved one.
  htmx.onLoad(function (root) {
    var forms = root.matches && root.matches("form.autosave") ? [root] : root.querySelectorAll("form.autosave");
    Array.prototype.forEach.call(forms, stateOf);
  });

  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (form && event.target.name === "text") {
      schedule(form);
    }
  });

  document.addEventListener("focusout", function (event) {
    var form = autosaveForm(event.target);
    if (form && event.target.name === "text") {
      save(form);
    }
  });

  // After logging in again elsewhere, the page's CSRF token is stale: read a fresh one from the page itself.
  function refreshToken(form) {
    return fetch(form.dataset.pageUrl, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
        if (fresh) {
          document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
            input.value = fresh.value;
          });
        }
      })
      .catch(function () {});
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".autosave-retry") : null;
    if (button) {
      var form = autosaveForm(button);
      var expired = form.dataset.state === "expired";
      form.dataset.state = "dirty";
      if (expired) {
        refreshToken(form).then(function () { save(form); });
      } else {
        save(form);
      }
    }
  });

  // The "Enregistrer" button still works without JavaScript; with it, it saves in place.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form.autosave")) {
      event.preventDefault();
      var state = stateOf(form);
      if (!isDirty(form)) {
        state.saved = null;
      }
      save(form);
    }
  }, true);

  // A conflict (409) or a refused text (422) comes with a fragment to show: swap it as a normal answer.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form.autosave")) {
      return;
    }
    var state = stateOf(form);
    var xhr = event.detail.xhr;
    state.busy = false;
    if (event.detail.failed && (!xhr || xhr.status === 0)) {
      show(form, "offline", form.dataset.msgOffline);
      return;
    }
    if (xhr.status === 200) {
      state.saved = state.sent;
      form.dataset.state = "saved";
      form.querySelector(".autosave-retry").hidden = true;
      if (isDirty(form)) {
        schedule(form);
      }
    } else if (xhr.status === 409) {
      // The person chooses between the two texts; meanwhile the field waits, so nothing typed is lost.
      form.dataset.state = "conflict";
      state.textarea.readOnly = true;
      statusOf(form).textContent = form.dataset.msgConflict;
    } else if (xhr.status === 422) {
      form.dataset.state = "refused";
    } else if (xhr.status === 401 || xhr.status === 403) {
      show(form, "expired", form.dataset.msgExpired);
    } else {
      show(form, "failed", form.dataset.msgFailed);
    }
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form.autosave")) {
      stateOf(form).busy = false;
      show(form, "offline", form.dataset.msgOffline);
    }
  });

  window.addEventListener("online", function () {
    document.querySelectorAll("form.autosave").forEach(function (form) {
      if (form.dataset.state === "offline" || form.dataset.state === "failed") {
        form.dataset.state = "dirty";
        save(form);
      }
    });
  });

  function unsavedForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form.autosave"), function (form) {
      return isDirty(form) || stateOf(form).busy;
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (unsavedForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Submitting the note first saves what is still being typed, then submits once everything is saved.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.submit-form") || form.dataset.flushed === "yes") {
      return;
    }
    var pending = unsavedForms();
    if (!pending.length) {
      return;
    }
    event.preventDefault();
    var status = form.querySelector(".submit-status");
    status.textContent = form.dataset.waitMessage;
    pending.forEach(save);
    var waited = 0;
    var poll = setInterval(function () {
      waited += 200;
      var left = unsavedForms();
      var stuck = left.some(function (f) { return !stateOf(f).busy; });
      if (!left.length) {
        clearInterval(poll);
        form.dataset.flushed = "yes";
        form.requestSubmit();
      } else if (stuck || waited > 15000) {
        clearInterval(poll);
        status.textContent = form.dataset.unsavedMessage;
      }
    }, 200);
  });
})();
