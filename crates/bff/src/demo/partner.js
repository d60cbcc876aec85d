// The demo partner listens for the widget's messages the way a partner page should:
// only from the widget's exact origin, and only messages of the card-application protocol.
// It keeps the widget's resume handle as docs/partners.md asks (unless opened with
// `?resume=no`, as a page that skipped that step): in its own sessionStorage, per placement,
// passed back as `resume` on the frame's URL; forgotten once the application is complete.
(function () {
  var frame = document.getElementById("card-application");
  var src = new URL(frame.getAttribute("data-src"), location.href);
  var widgetOrigin = src.origin;
  var list = document.getElementById("events");
  var keepsHandles = new URLSearchParams(location.search).get("resume") !== "no";
  var resumeKey = "cardApplicationResume:" + src.searchParams.get("partner") + ":" + src.searchParams.get("market");
  if (keepsHandles) {
    src.searchParams.set("resume", sessionStorage.getItem(resumeKey) || "");
  }
  frame.src = src.href;
  // Kept in sessionStorage too, so the return page can show what arrived before the
  // widget sent the customer back.
  window.cardApplicationEvents = [];
  window.addEventListener("message", function (event) {
    if (event.origin !== widgetOrigin || event.source !== frame.contentWindow ||
        !event.data || event.data.source !== "card-application") {
      return;
    }
    if (event.data.type === "resume_handle") {
      if (keepsHandles) {
        sessionStorage.setItem(resumeKey, event.data.handle);
      }
      return;
    }
    if (event.data.type === "completed") {
      sessionStorage.removeItem(resumeKey);
    }
    window.cardApplicationEvents.push(event.data);
    // The frame is as tall as the application's content: no inner scrollbar.
    if (event.data.type === "resize" && event.data.height > 0) {
      frame.style.height = Math.ceil(event.data.height) + "px";
    }
    sessionStorage.setItem("cardApplicationEvents", JSON.stringify(window.cardApplicationEvents));
    var item = document.createElement("li");
    item.textContent = event.data.type + ": " + JSON.stringify(event.data);
    list.appendChild(item);
  });
})();
