/* The request form: a character counter, "use my location", and a check on the number of photos.
   Everything here is an enhancement: without JavaScript the form still works. */
(function () {
  "use strict";

  function counters(root) {
    root.querySelectorAll("[data-counter-for]").forEach(function (counter) {
      var field = document.getElementById(counter.getAttribute("data-counter-for"));
      if (!field || field.dataset.counted) { return; }
      field.dataset.counted = "1";
      var max = parseInt(field.getAttribute("data-max") || "0", 10);
      var out = counter.querySelector(".js-count");
      function update() {
        var n = Array.from(field.value).length;
        out.textContent = String(n);
        counter.classList.toggle("over", max > 0 && n > max);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  function locate(root) {
    var button = root.querySelector(".js-locate");
    if (!button || !("geolocation" in navigator)) { return; }
    var status = root.querySelector(".js-locate-status");
    var lat = root.querySelector("input[name=lat]");
    var lng = root.querySelector("input[name=long]");
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        status.textContent = status.getAttribute("data-found");
        button.disabled = false;
      }, function () {
        status.textContent = status.getAttribute("data-failed");
        button.disabled = false;
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  }

  function photoLimit(root) {
    root.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
      var max = parseInt(input.getAttribute("data-max-files"), 10);
      var error = input.parentElement.querySelector(".js-files-error");
      input.addEventListener("change", function () {
        var tooMany = input.files && input.files.length > max;
        if (error) { error.hidden = !tooMany; }
        input.setCustomValidity(tooMany && error ? error.textContent : "");
      });
    });
  }

  function init() {
    counters(document);
    locate(document);
    photoLimit(document);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
