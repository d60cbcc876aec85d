// The card application's loader, version 2: version 1 with the `placement` option (the
// token the partner's server created with POST /partner/v1/placements) in place of
// `customer`, whose id goes only through a placement; messages of protocol version 1
// (onboarding_core::embed).
// A partner page includes it once with a script tag and calls OnboardingWidget.open(...).
// Safe to include or call twice: one widget, and each event delivered once.
(function () {
  "use strict";
  if (window.OnboardingWidget) {
    return;
  }
  var script = document.currentScript;
  // The widget's origin is where this file came from: messages from anywhere else are ignored.
  var widgetOrigin = new URL(script ? script.src : "/", location.href).origin;
  var opened = null;

  function call(callback, message) {
    if (typeof callback === "function") {
      try {
        callback(message);
      } catch (error) {
        setTimeout(function () { throw error; });
      }
    }
  }

  // The partner page's own storage, first-party where the frame's may be blocked: it keeps
  // the widget's resume handle, which only the widget's own page can use.
  function storage() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null;
    }
  }

  // Storage that is full or taken away mid-visit loses the handle, not the message.
  function keep(store, key, value) {
    try {
      if (value === null) {
        store.removeItem(key);
      } else {
        store.setItem(key, value);
      }
    } catch (error) {}
  }

  function open(options) {
    if (opened) {
      return opened;
    }
    options = options || {};
    var store = storage();
    // A placement token names one customer: another token never resumes their application.
    var resumeKey = "card-application-resume:" + (options.partner || "") + ":" +
      (options.market || "") + (options.placement ? ":" + options.placement : "");
    var container = typeof options.container === "string"
      ? document.querySelector(options.container)
      : options.container || document.body;
    var src = new URL("/apply", widgetOrigin);
    src.searchParams.set("partner", options.partner || "");
    src.searchParams.set("market", options.market || "");
    src.searchParams.set("return_url", options.returnUrl || "");
    if (options.placement) {
      src.searchParams.set("placement", options.placement);
    }
    // Present, even empty, it tells the widget this page keeps its handle.
    if (store) {
      src.searchParams.set("resume", store.getItem(resumeKey) || "");
    }
    var frame = document.createElement("iframe");
    frame.src = src.href;
    frame.title = options.title || "Credit card application";
    frame.setAttribute("data-card-application", "");
    // Until the widget reports its height; then exactly its content, never an inner scrollbar.
    frame.style.cssText = "display:block;width:100%;min-width:280px;border:0;height:640px;";
    var seen = 0;
    var completed = false;

    function onMessage(event) {
      var message = event.data;
      if (event.origin !== widgetOrigin || event.source !== frame.contentWindow) {
        return;
      }
      if (!message || message.source !== "card-application" || message.version !== 1 ||
          typeof message.seq !== "number") {
        return;
      }
      // A reload inside the frame starts counting again at its "ready".
      if (message.type === "ready" && message.seq === 1) {
        seen = 0;
      }
      if (message.seq <= seen) {
        return;
      }
      seen = message.seq;
      if (message.type === "resize" && message.height > 0) {
        frame.style.height = Math.ceil(message.height) + "px";
      }
      // Kept for the next open, never handed on: the page has no use for it.
      if (message.type === "resume_handle") {
        if (store && typeof message.handle === "string") {
          keep(store, resumeKey, message.handle);
        }
        return;
      }
      // A finished application is not resumed: the next open starts a new one.
      if (message.type === "completed" && store) {
        keep(store, resumeKey, null);
      }
      call(options.onEvent, message);
      if (message.type === "ready") {
        call(options.onReady, message);
      } else if (message.type === "completed" && !completed) {
        completed = true;
        call(options.onSuccess, message);
      } else if (message.type === "exited" || message.type === "error") {
        call(options.onExit, message);
      }
    }

    window.addEventListener("message", onMessage);
    container.appendChild(frame);
    opened = {
      frame: frame,
      close: function () {
        window.removeEventListener("message", onMessage);
        frame.remove();
        opened = null;
      }
    };
    return opened;
  }

  window.OnboardingWidget = Object.freeze({ version: 2, open: open });
})();
