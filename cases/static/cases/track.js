/* /track/: the reporter's view of a case. Reference and token come from the receipt's link
 * (/track/#REFERENCE.TOKEN: a fragment never reaches the server) or from the form; the token is
 * sent in the X-Tracking-Token header (reading) and in the body (rating), never in a URL. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("track-config").textContent);
  var form = document.getElementById("track-form");
  var ratingForm = document.getElementById("rating-form");
  var statusLine = document.getElementById("track-status");
  var current = null;  // {reference, token}
  var photoUrls = {};  // photo path -> promise of an object URL, fetched once per page

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function label(group, key) { return (config.labels[group] || {})[key] || key; }
  function when(iso) {
    return iso ? new Date(iso).toLocaleString(document.documentElement.lang, {dateStyle: "medium", timeStyle: "short"}) : "";
  }
  function url(template, reference) { return template.replace("REFERENCE", encodeURIComponent(reference)); }

  function eventText(event) {
    switch (event.kind) {
      case "created": return gettext("Received");
      case "status": return interpolate(gettext("Status: %s"), [label("statuses", event.to_value)]);
      case "assignment": return interpolate(gettext("Handled by: %s"), [event.to_value]);
      case "category": return interpolate(gettext("Topic: %s"), [label("categories", event.to_value)]);
      case "rating": return interpolate(gettext("Rated %s of 5"), [event.to_value]);
      default: return event.kind;
    }
  }

  function show(data) {
    document.getElementById("case").hidden = false;
    document.getElementById("case-title").textContent =
      interpolate(gettext("Case %s"), [data.reference]) + " · " + label("categories", data.category);
    var status = document.getElementById("case-status");
    status.textContent = label("statuses", data.status);
    status.className = data.overdue ? "ws-closed" : "ws-open";
    document.getElementById("case-union").textContent = data.assigned_union
      ? interpolate(gettext("Handled by %s"), [data.assigned_union.name]) : "";
    document.getElementById("case-due").textContent = data.resolved_at
      ? interpolate(gettext("Resolved on %s"), [when(data.resolved_at)])
      : interpolate(gettext("Answer due by %s"), [when(data.due_at)]) + (data.overdue ? " · " + gettext("overdue") : "");
    document.getElementById("answer-box").hidden = !data.resolution;
    document.getElementById("case-answer").textContent = data.resolution || "";
    var timeline = document.getElementById("timeline");
    timeline.textContent = "";
    data.events.forEach(function (event) {
      var item = el("li");
      item.appendChild(el("div", eventText(event)));
      if (event.note && (event.kind === "status" || event.kind === "rating")) item.appendChild(el("div", event.note));
      item.appendChild(el("div", when(event.created_at), "ws-muted"));
      timeline.appendChild(item);
    });
    showPhotos(data.photos || []);
    ratingForm.hidden = !data.can_be_rated;
    var rated = document.getElementById("rated");
    rated.hidden = !(data.rating && !data.can_be_rated);
    rated.textContent = data.rating ? interpolate(gettext("You rated the answer %s of 5. Thank you."), [data.rating]) : "";
  }

  /* The reporter's photos: fetched with the token in the header, shown from the bytes. */
  function showPhotos(paths) {
    var box = document.getElementById("photos-box");
    var strip = document.getElementById("case-photos");
    box.hidden = !paths.length;
    strip.textContent = "";
    paths.forEach(function (path) {
      var img = el("img");
      img.alt = gettext("Your photo");
      strip.appendChild(img);  // in order, filled in as each arrives
      if (!photoUrls[path]) {
        photoUrls[path] = fetch(path, {headers: {"X-Tracking-Token": current.token}})
          .then(function (response) { return response.ok ? response.blob() : null; })
          .then(function (blob) { return blob ? URL.createObjectURL(blob) : null; })
          .catch(function () { return null; });  // the rest of the case still shows
      }
      photoUrls[path].then(function (url) { if (url) img.src = url; else img.remove(); });
    });
  }

  function load() {
    statusLine.textContent = gettext("Loading…");
    statusLine.className = "";
    fetch(url(config.trackUrl, current.reference), {
      headers: {Accept: "application/json", "X-Tracking-Token": current.token}
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          document.getElementById("case").hidden = true;
          statusLine.textContent = response.status === 404
            ? gettext("No case with this reference and tracking code.")
            : gettext("Could not load the case; please try again.");
          statusLine.className = "ws-error";
          return;
        }
        statusLine.textContent = "";
        show(data);
      });
    }).catch(function () {
      statusLine.textContent = gettext("Network error, please try again.");
      statusLine.className = "ws-error";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    current = {reference: form.elements.reference.value.trim(), token: form.elements.token.value.trim()};
    if (current.reference && current.token) load();
  });

  ratingForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var error = document.getElementById("rating-error");
    var score = ratingForm.querySelector("input[name=score]:checked");
    if (!score) { error.textContent = gettext("Choose 1 to 5."); return; }
    error.textContent = "";
    fetch(url(config.ratingUrl, current.reference), {
      method: "POST",
      headers: {"Content-Type": "application/json", Accept: "application/json"},
      body: JSON.stringify({token: current.token, score: Number(score.value), comment: ratingForm.elements.comment.value})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var errors = (data && data.errors) || {};
          error.textContent = Object.keys(errors).map(function (k) { return [].concat(errors[k]).join(" "); }).join(" ")
            || gettext("Could not save the rating; please try again.");
          return;
        }
        show(data);
      });
    }).catch(function () { error.textContent = gettext("Network error, please try again."); });
  });

  // The receipt's link: /track/#REFERENCE.TOKEN (tokens hold no ".").
  var hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
  var dot = hash.indexOf(".");
  if (dot > 0) {
    current = {reference: hash.slice(0, dot), token: hash.slice(dot + 1)};
    form.elements.reference.value = current.reference;
    form.elements.token.value = current.token;
    load();
  }
})();
