/*
 * Thousands of line segments as compact rows [id, style, km, condition, parts], each part a
 * flat [lon, lat, lon, lat, ...] list (see SegmentLines in allianz/maps.py). From
 * options.canvasFrom segments on they are drawn on a canvas instead of as SVG paths. A click
 * reports the segment's `id` to streamlit-folium like a GeoJson feature does; the tooltip is
 * built from numbers only.
 *
 * options: {styles: [{color, gap}], canvasFrom}
 */
window.allianzSegmentLines = function (data, options) {
    var styles = options.styles;
    var group = L.featureGroup();
    var renderer = data.length >= options.canvasFrom ? L.canvas({tolerance: 4}) : undefined;
    function latlngs(part) {
        var out = [];
        for (var j = 0; j < part.length; j += 2) { out.push([part[j + 1], part[j]]); }
        return out;
    }
    function widen(e) { e.target.setStyle({weight: 7}); }
    function narrow(e) { e.target.setStyle({weight: styles[e.target.styleIndex].gap ? 5 : 3}); }
    for (var i = 0; i < data.length; i++) {
        var row = data[i], style = styles[row[1]];
        var line = L.polyline(row[4].map(latlngs), {color: style.color,
            weight: style.gap ? 5 : 3, dashArray: style.gap ? "10 8" : null,
            renderer: renderer});
        line.feature = {type: "Feature", properties: {id: row[0]}};
        line.bindTooltip("Nr. " + row[0] + " · " + row[2].toFixed(2).replace(".", ",")
            + " km · Zustand " + (row[3] || "?") + (style.gap ? " · LÜCKE" : ""),
            {sticky: true});
        line.on("mouseover", widen);
        line.on("mouseout", narrow);
        line.styleIndex = row[1];
        group.addLayer(line);
    }
    return group;
};
