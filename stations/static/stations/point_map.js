/* The back office's point widget (stations/widgets.py): click the map or drag the marker to set
 * the point; the hidden textarea holds it as WKT in WGS84, which the form field reads.
 * Texts come from Django's JavaScript catalogue (gettext), loaded by the admin's base page. */
(function () {
  "use strict";
  var t = window.gettext || function (s) { return s; };
  var shift = window.ws;  // project/static/project/ws.js: the one GCJ-02 formula of the pages

  function parsePoint(text) {
    var m = /POINT\s*\(\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*\)/i.exec(text || "");
    return m ? [parseFloat(m[1]), parseFloat(m[2])] : null;
  }

  function init(box) {
    var config = JSON.parse(document.getElementById(box.dataset.config).textContent);
    var input = document.getElementById(box.dataset.input);
    var coords = box.querySelector(".ws-pointmap-coords");
    var gcj = config.tilesCrs === "gcj02";
    /* WGS84 (lon, lat) -> where Leaflet draws it on these tiles, and back. */
    function toMap(p) { var q = gcj ? shift.toGcj02(p[0], p[1]) : p; return L.latLng(q[1], q[0]); }
    function fromMap(ll) { return gcj ? shift.fromGcj02(ll.lng, ll.lat) : [ll.lng, ll.lat]; }

    var map = L.map(box.querySelector(".ws-pointmap-map"));
    box.wsMap = map;  // reachable for scripts (and browser tests) that move the view
    L.tileLayer(config.tilesUrl, {attribution: config.attribution, maxZoom: 19}).addTo(map);
    var marker = null;
    var icon = L.icon(Object.assign({
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
    }, config.icon));

    function show(p) {
      coords.textContent = p ? p[0].toFixed(6) + ", " + p[1].toFixed(6) : t("No point set");
    }
    function set(p, pan) {
      input.value = p ? "SRID=4326;POINT (" + p[0].toFixed(7) + " " + p[1].toFixed(7) + ")" : "";
      input.dispatchEvent(new Event("change", {bubbles: true}));
      if (!p) {
        if (marker) { map.removeLayer(marker); marker = null; }
      } else if (marker) {
        marker.setLatLng(toMap(p));
      } else {
        marker = L.marker(toMap(p), {
          icon: icon, draggable: true, keyboard: true, title: t("Location")
        }).addTo(map);
        marker.on("dragend", function () { set(fromMap(marker.getLatLng()), false); });
      }
      if (p && pan) map.setView(toMap(p), Math.max(map.getZoom() || 0, 15));
      show(p);
    }

    var start = parsePoint(input.value);
    if (start) {
      map.setView(toMap(start), 15);
      set(start, false);
    } else if (config.bounds) {
      var b = config.bounds;
      map.fitBounds(L.latLngBounds(toMap([b[0], b[1]]), toMap([b[2], b[3]])));
      show(null);
    } else {
      map.setView([35, 105], 4);  // all of China
      show(null);
    }
    map.on("click", function (e) { set(fromMap(e.latlng), false); });

    box.querySelector(".ws-pointmap-clear").addEventListener("click", function () { set(null); });
    var useFacility = box.querySelector(".ws-pointmap-facility");
    if (useFacility) {
      useFacility.addEventListener("click", function () {
        var field = document.getElementById(config.facilityField);
        var id = field && field.value.trim();
        if (!id || !/^\d+$/.test(id)) { coords.textContent = t("Choose a facility first."); return; }
        fetch(config.facilityUrl.replace("{id}", id), {headers: {Accept: "application/json"}})
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (feature) { set(feature.geometry.coordinates, true); })
          .catch(function () { coords.textContent = t("No facility with this id."); });
      });
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".ws-pointmap"), init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
