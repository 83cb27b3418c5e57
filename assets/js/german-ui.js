// Streamlit's own English texts in German: Streamlit has no translation (streamlit#1353), and
// not every text has a parameter. Loaded once per page from main.py (st.html with a <script
// src> from this server, so it runs in the app's page under the Content-Security-Policy);
// a MutationObserver replaces the fixed strings in visible text and in aria-label, title and
// placeholder, in the page and in its same-origin frames (the maps).
(function () {
    "use strict";
    if (window.allianzGermanUi) {
        return;
    }

    // Whole texts and attribute values, exactly as Streamlit and Leaflet write them.
    var EXACT = {
        "Choose an option": "Bitte wählen",
        "Page not found": "Seite nicht gefunden",
        "The page that you have requested does not seem to exist. Running the app's main page.":
            "Diese Seite gibt es nicht. Sie sehen die Startseite.",
        "Choose options": "Bitte wählen",
        "Choose a date": "Datum wählen",
        "Choose date range": "Zeitraum wählen",
        "Choose date": "Datum wählen",
        "Select all": "Alle auswählen",
        "No results": "Keine Treffer",
        "Open": "Öffnen",
        "Close": "Schließen",
        "Clear all": "Alle entfernen",
        "Clear value": "Auswahl entfernen",
        "Clear": "Leeren",
        "Remove": "Entfernen",
        "Delete": "Löschen",
        "Upload": "Hochladen",
        "Browse files": "Dateien auswählen",
        "Drag and drop file here": "Datei hierher ziehen",
        "Drag and drop files here": "Dateien hierher ziehen",
        "Press Enter to submit form": "Eingabetaste zum Absenden",
        "Press Enter to apply": "Eingabetaste zum Übernehmen",
        "Show/hide columns": "Spalten ein-/ausblenden",
        "Download as CSV": "Als CSV herunterladen",
        "Search": "Suchen",
        "Fullscreen": "Vollbild",
        "Close fullscreen": "Vollbild beenden",
        // our sidebar holds the navigation only; on a phone it is behind the » button
        "Collapse sidebar": "Navigation schließen",
        "Expand sidebar": "Navigation öffnen",
        "Sidebar": "Navigation",
        "Link to heading": "Link zu dieser Überschrift",
        "Skip to main content": "Zum Hauptinhalt springen",
        "Main menu": "Hauptmenü",
        "Show password": "Passwort anzeigen",
        "Hide password": "Passwort verbergen",
        "Increment": "Erhöhen",
        "Decrement": "Verringern",
        "Previous month": "Vorheriger Monat",
        "Next month": "Nächster Monat",
        "Running...": "Läuft …",
        "Stop": "Anhalten",
        "Copy to clipboard": "In die Zwischenablage kopieren",
        "Zoom in": "Vergrößern",
        "Zoom out": "Verkleinern",
        "Close popup": "Schließen",
        "streamlit_folium.st_folium": "Kartenansicht",
        "dd.mm.yyyy": "TT.MM.JJJJ",
        "DD.MM.YYYY": "TT.MM.JJJJ",
        "dd.mm.yyyy – dd.mm.yyyy": "TT.MM.JJJJ – TT.MM.JJJJ",
        "DD.MM.YYYY – DD.MM.YYYY": "TT.MM.JJJJ – TT.MM.JJJJ",
    };
    // Parts of longer texts ("200MB per file • JPG, PNG", "Remove Radwegenetz").
    var PARTS = [
        [/\bper file\b/g, "pro Datei"],
        [/^Remove (.+)$/, "$1 entfernen"],
        [/^Delete (.+)$/, "$1 löschen"],
        [/^Help for (.+)$/, "Hilfe zu $1"],
        // the segments of a date field ("day, Datum", "year, Zeitraum start date")
        [/^day, /, "Tag, "],
        [/^month, /, "Monat, "],
        [/^year, /, "Jahr, "],
        [/ start date$/, " (Beginn)"],
        [/ end date$/, " (Ende)"],
    ];
    var ATTRIBUTES = ["aria-label", "title", "placeholder"];

    function german(text) {
        var trimmed = text.trim();
        if (Object.prototype.hasOwnProperty.call(EXACT, trimmed)) {
            return text.replace(trimmed, EXACT[trimmed]);
        }
        var result = text;
        for (var i = 0; i < PARTS.length; i++) {
            result = result.replace(PARTS[i][0], PARTS[i][1]);
        }
        return result;
    }

    function fixText(node) {
        var value = node.nodeValue;
        if (value && value.trim()) {
            var changed = german(value);
            if (changed !== value) {
                node.nodeValue = changed;
            }
        }
    }

    function fixElement(element) {
        for (var i = 0; i < ATTRIBUTES.length; i++) {
            var value = element.getAttribute(ATTRIBUTES[i]);
            if (value) {
                var changed = german(value);
                if (changed !== value) {
                    element.setAttribute(ATTRIBUTES[i], changed);
                }
            }
        }
        if (element.tagName === "IFRAME") {
            frame(element);
        }
    }

    function fixTree(root) {
        if (root.nodeType === 3) {
            fixText(root);
            return;
        }
        if (root.nodeType !== 1 && root.nodeType !== 9) {
            return;
        }
        if (root.nodeType === 1) {
            fixElement(root);
        }
        var doc = root.ownerDocument || root;
        var walker = doc.createTreeWalker(root, 5 /* elements and text */);
        var node = walker.nextNode();
        while (node) {
            if (node.nodeType === 3) {
                fixText(node);
            } else {
                fixElement(node);
            }
            node = walker.nextNode();
        }
    }

    function onMutations(mutations) {
        for (var i = 0; i < mutations.length; i++) {
            var m = mutations[i];
            if (m.type === "childList") {
                for (var j = 0; j < m.addedNodes.length; j++) {
                    fixTree(m.addedNodes[j]);
                }
            } else if (m.type === "characterData") {
                fixText(m.target);
            } else {
                fixElement(m.target);
            }
        }
    }

    function watch(doc) {
        if (!doc || !doc.documentElement || doc.allianzGermanUi) {
            return;
        }
        doc.allianzGermanUi = true;
        fixTree(doc.documentElement);
        new MutationObserver(onMutations).observe(doc.documentElement, {
            subtree: true,
            childList: true,
            characterData: true,
            attributes: true,
            attributeFilter: ATTRIBUTES,
        });
    }

    // A map frame: a German name for it, and its own document watched (same origin only).
    function frame(iframe) {
        if (!iframe.getAttribute("aria-label") && /streamlit_folium|Kartenansicht/.test(iframe.title)) {
            iframe.setAttribute("aria-label", "Kartenansicht");
        }
        if (iframe.allianzGermanUi) {
            return;
        }
        iframe.allianzGermanUi = true;
        var inner = function () {
            try {
                watch(iframe.contentDocument);
            } catch {
                // another origin: not ours to change
            }
        };
        iframe.addEventListener("load", inner);
        inner();
    }

    // On a phone the navigation lies over the page, opened by an icon-only » button: the
    // button says "Menü" beside its icon (its accessible name comes from EXACT above), and the
    // navigation closes once a page was chosen in it, so that the page is seen. Side by side
    // with the page (wide screens) it stays as it is. A closed navigation is out of sight but
    // Streamlit leaves its links in the Tab order: hidden, Tab reaches the » button first.
    var SIDEBAR = '[data-testid="stSidebar"]';
    var MENU_CSS =
        '[data-testid="stExpandSidebarButton"]::after { content: "Menü"; font-size: 1rem;' +
        " margin-left: 0.25rem; }" +
        ' [data-testid="stSidebar"][data-collapsed="true"] { visibility: hidden; }';

    function overPage(doc) {
        var sidebar = doc.querySelector(SIDEBAR);
        var main = doc.querySelector('[data-testid="stMain"]');
        if (!sidebar || !main || sidebar.getAttribute("data-collapsed") === "true") {
            return false;
        }
        return sidebar.getBoundingClientRect().right > main.getBoundingClientRect().left + 1;
    }

    function phoneNavigation(doc) {
        var style = doc.createElement("style");
        style.setAttribute("data-allianz", "phone-navigation");
        style.textContent = MENU_CSS;
        doc.head.appendChild(style);
        doc.addEventListener(
            "click",
            function (event) {
                var link = event.target.closest ? event.target.closest(SIDEBAR + " a[href]") : null;
                if (!link || !overPage(doc)) {
                    return;
                }
                var close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
                if (close) {
                    setTimeout(function () {
                        close.click();
                    }, 0);
                }
            },
            true,
        );
    }

    // Watches a document (the app's page; its frames are found by it) for English texts.
    window.allianzGermanUi = function (doc) {
        watch(doc);
    };
    phoneNavigation(document);
    window.allianzGermanUi(document);
})();
