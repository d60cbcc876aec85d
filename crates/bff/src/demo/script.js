// The demo partner's script-tag integration: OnboardingWidget.open once the loader has
// loaded, called again on every load as a careless page would; the loader keeps one widget.
(function () {
  var list = document.getElementById("events");
  window.cardApplicationEvents = [];
  window.cardApplicationSuccesses = [];
  window.cardApplicationExits = [];
  function record(message) {
    window.cardApplicationEvents.push(message);
    var item = document.createElement("li");
    item.textContent = message.type + ": " + JSON.stringify(message);
    list.appendChild(item);
  }
  function start() {
    if (!window.OnboardingWidget) {
      return;
    }
    window.OnboardingWidget.open({
      partner: "demo-travel",
      market: "SG",
      returnUrl: location.origin + "/demo/return",
      container: "#card-application-container",
      onEvent: record,
      onSuccess: function (message) {
        window.cardApplicationSuccesses.push(message);
        sessionStorage.setItem("cardApplicationSuccesses", JSON.stringify(window.cardApplicationSuccesses));
      },
      onExit: function (message) {
        window.cardApplicationExits.push(message);
        sessionStorage.setItem("cardApplicationExits", JSON.stringify(window.cardApplicationExits));
      }
    });
  }
  document.querySelectorAll("script[data-loader]").forEach(function (tag) {
    tag.addEventListener("load", start);
  });
  start();
})();
