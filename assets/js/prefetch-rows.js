/*
 * Starts fetching a PointCluster's rows before Leaflet loads. allianz/maps.py inlines this
 * file with its call as the map's first script (a data: URL, so no request is waited for);
 * allianzPointCluster then takes the pending promise instead of fetching again.
 */
window.allianzPrefetchRows = function (url) {
    window.allianzRows = window.allianzRows || {};
    window.allianzRows[url] = fetch(url).then(function (r) { return r.json(); });
};
