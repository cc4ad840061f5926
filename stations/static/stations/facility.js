/* /s/{id}/: "I am here". The device's random id lives in localStorage (only an HMAC of it is
 * stored on the server, per hour and place); the count shown is the server's answer. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("facility-config").textContent);
  var button = document.getElementById("checkin");
  var statusLine = document.getElementById("checkin-status");
  var freshness = document.getElementById("freshness");

  function deviceId() {
    var key = "waystation.device";
    var id = null;
    try { id = window.localStorage.getItem(key); } catch (e) { /* storage blocked */ }
    if (!id) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      try { window.localStorage.setItem(key, id); } catch (e) { /* a new id next time */ }
    }
    return id;
  }

  function say(text, ok) {
    statusLine.textContent = text;
    statusLine.className = ok ? "ws-ok" : "ws-error";
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    fetch(config.checkinUrl, {
      method: "POST",
      headers: {"Content-Type": "application/json", Accept: "application/json"},
      body: JSON.stringify({device: deviceId()})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 429) {
          say(gettext("Too many check-ins from this network; please try again later."), false);
        } else if (!response.ok) {
          say(gettext("Could not check in; please try again."), false);
        } else {
          say(body.counted ? gettext("Thank you: your visit is counted.")
                           : gettext("You already checked in here this hour."), true);
          freshness.textContent = gettext("Confirmed open just now") + " · " + interpolate(
            ngettext("%s check-in today", "%s check-ins today", body.checkins_today),
            [body.checkins_today]);
        }
      });
    }).catch(function () {
      say(gettext("Network error, please try again."), false);
    }).then(function () { button.disabled = false; });
  });
})();
