/* WGS84 <-> GCJ-02, mirroring stations/coords.py (wgs84_to_gcj02 and its inverse). Maps on
 * GCJ-02 tiles (MAP_TILES_CRS=gcj02) draw WGS84 points shifted, and read clicks back unshifted.
 * Exposed as window.waystationGcj02. */
(function () {
  "use strict";
  var A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lon, lat) {
    return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
  }
  function offsetLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return r;
  }
  function offsetLon(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return r;
  }
  function toGcj02(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    var dLat = offsetLat(lon - 105.0, lat - 35.0), dLon = offsetLon(lon - 105.0, lat - 35.0);
    var radLat = lat / 180.0 * Math.PI, magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
    return [lon + dLon, lat + dLat];
  }
  /* The inverse by fixed-point iteration, as stations.coords.to_wgs84 does: the shift varies
   * slowly, so a few steps reach well below a centimetre. */
  function fromGcj02(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    var x = lon, y = lat;
    for (var k = 0; k < 10; k++) {
      var p = toGcj02(x, y);
      var dx = p[0] - lon, dy = p[1] - lat;
      x -= dx; y -= dy;
      if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) break;
    }
    return [x, y];
  }
  window.waystationGcj02 = {toGcj02: toGcj02, fromGcj02: fromGcj02};
})();
