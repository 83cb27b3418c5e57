/*
 * Many points as compact rows [lat, lon, ref, class], clustered in the browser by
 * supercluster (see PointCluster in allianz/maps.py). Only the clusters and points of the
 * current view are on the map. A click on a point reports its `ref` to streamlit-folium like
 * a GeoJson feature does; a click on a cluster zooms in. Clusters sit in a plain layer group
 * so their clicks do not count as a choice.
 *
 * options: {rowsUrl, colors, labels, counted, maxClusterZoom}
 */
window.allianzPointCluster = function (map, options) {
    var colors = options.colors, labels = options.labels;
    var data = [], index = null;
    var clusters = L.layerGroup(), points = L.featureGroup();
    var layer = L.layerGroup([clusters, points]);
    function bubble(count) {
        var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
        return L.divIcon({html: "<div><span>" + count + "</span></div>",
            className: "marker-cluster marker-cluster-" + size,
            iconSize: L.point(40, 40)});
    }
    function draw() {
        if (!index || !map.hasLayer(layer)) { return; }
        var b = map.getBounds(), zoom = Math.round(map.getZoom());
        clusters.clearLayers();
        points.clearLayers();
        index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom)
            .forEach(function (c) {
                var at = [c.geometry.coordinates[1], c.geometry.coordinates[0]];
                if (c.properties.cluster) {
                    var count = c.properties.point_count;
                    var marker = L.marker(at, {icon: bubble(count), keyboard: false,
                        title: count + " " + options.counted});
                    marker.on("click", function () {
                        map.setView(at, index.getClusterExpansionZoom(c.properties.cluster_id));
                    });
                    clusters.addLayer(marker);
                    return;
                }
                var row = data[c.properties.i];
                var point = L.circleMarker(at, {radius: 7, color: "#ffffff", weight: 1,
                    fillColor: colors[row[3]], fillOpacity: 0.9, className: "allianz-point"});
                point.feature = {type: "Feature",
                    properties: {ref: row[2], status: labels[row[3]]}};
                point.bindTooltip(row[2] + " · " + labels[row[3]]);
                points.addLayer(point);
            });
    }
    map.on("moveend", draw);
    layer.on("add", function () { setTimeout(draw, 0); });
    layer.on("remove", function () { clusters.clearLayers(); points.clearLayers(); });
    // the rows fetch allianzPrefetchRows started before Leaflet loaded, else a new one
    var url = options.rowsUrl, early = window.allianzRows || {};
    var pending = early[url] || fetch(url).then(function (r) { return r.json(); });
    delete early[url];
    pending.then(function (rows) {
        data = rows;
        index = new Supercluster({radius: 80, maxZoom: options.maxClusterZoom}).load(rows.map(
            function (row, i) {
                return {type: "Feature", properties: {i: i},
                    geometry: {type: "Point", coordinates: [row[1], row[0]]}};
            }));
        draw();
    });
    return layer;
};
