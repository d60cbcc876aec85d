// The demo partner listens for the widget's messages the way a partner page should:
// only from the widget's exact origin, and only messages of the card-application protocol.
(function () {
  var frame = document.getElementById("card-application");
  var widgetOrigin = new URL(frame.src, location.href).origin;
  var list = document.getElementById("events");
  // Kept in sessionStorage too, so the return page can show what arrived before the
  // widget sent the customer back.
  window.cardApplicationEvents = [];
  window.addEventListener("message", function (event) {
    if (event.origin !== widgetOrigin || event.source !== frame.contentWindow ||
        !event.data || event.data.source !== "card-application") {
      return;
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
