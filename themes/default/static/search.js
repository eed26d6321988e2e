// starboard search: plain ES2017, no WebAssembly, no Intl.Segmenter, no
// other host. The index is a manifest of keys and shards fetched on demand
// (see src/render/search.rs): a Chinese character's shard, or a pinyin
// letter's; a big shard is split by the name's last character.
(function () {
  "use strict";
  var data = document.getElementById("search-data");
  var box = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!data || !box) return;
  var root = data.getAttribute("data-root");
  var say = function (k) { return data.getAttribute("data-" + k); };
  var MAX = 60;

  if (location.protocol === "file:") {
    status.textContent = say("offline");
    box.disabled = true;
    return;
  }

  // The manifest: each family (c, p, h) and its bucket files.
  var manifest = null;
  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return fetch(data.getAttribute("data-manifest")).then(function (r) { return r.text(); }).then(function (text) {
      manifest = {};
      text.split("\n").forEach(function (line) {
        var tab = line.indexOf("\t");
        if (tab > 0) manifest[line.slice(0, tab)] = line.slice(tab + 1).split(" ");
      });
      return manifest;
    });
  }
  var buckets = {};
  function bucket(name) {
    if (!buckets[name]) buckets[name] = fetch(name).then(function (r) { return r.json(); });
    return buckets[name];
  }
  // FNV-1a over the key's code points: src/render/search.rs computes the same.
  function hash(key) {
    var h = 0x811c9dc5;
    Array.from(key).forEach(function (c) {
      h ^= c.codePointAt(0);
      h = Math.imul(h, 16777619) >>> 0;
    });
    return h >>> 0;
  }
  // The entries of `key` in `family`, or none. A key with very many
  // entries comes in parts: only the first is fetched (see `more`).
  var more = false;
  function entries(family, key) {
    var files = manifest[family];
    if (!files || !key) return Promise.resolve([]);
    return bucket(family + files[hash(key) % files.length] + ".json").then(function (b) {
      if (b[key + "#"]) more = true;
      return b[key] || [];
    });
  }
  function isHan(c) { return /[\u3400-\u9fff\uf900-\ufaff]/.test(c); }

  // How well a masked name (陈*华) fits a query, each * in it standing for
  // one hidden character: 3 the whole name (陈明华, 陈*华), 2 the query's
  // characters shown in order (陈华, as the board shows it), 1 part of it
  // (陈, 华, 陈明); 0 not at all.
  function fit(masked, q) {
    var m = Array.from(masked), s = Array.from(q);
    var same = function (a, b) { return a === "*" || b === "*" || a === b; };
    if (m.length === s.length && m.every(function (c, i) { return same(c, s[i]); })) return 3;
    var at = 0;
    m.forEach(function (c) { if (at < s.length && c === s[at]) at++; });
    if (at === s.length && s.length > 1) return 2;
    for (var start = 0; start + s.length <= m.length; start++) {
      var ok = true;
      for (var i = 0; i < s.length && ok; i++) ok = same(m[start + i], s[i]);
      if (ok) return 1;
    }
    return 0;
  }

  function run(raw) {
    var words = raw.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var grid = 0, text = [];
    words.forEach(function (w) { if (/^\d+$/.test(w)) grid = +w; else text.push(w); });
    var q = text.join("");
    if (!q) { list.textContent = ""; list.setAttribute("data-for", raw); return Promise.resolve(); }
    status.textContent = say("loading");
    more = false;
    return loadManifest().then(function () {
      var han = Array.from(q).filter(isHan);
      var asked = [];
      if (han.length) {
        // Under its first character: villages, and (last) which pairs of
        // first and last characters households it starts or ends have.
        var first = entries("c", han[0]);
        asked.push(first.then(function (vs) {
          return vs.filter(function (v) { return v[0] !== "@" && !grid && v[0].indexOf(q) >= 0; })
            .map(function (v) { return { score: 4, name: v[0], href: v[1], place: v[2] }; });
        }));
        // Households by the first and last characters their names show:
        // 陈明华 and 陈华 look under 陈华, 陈明 under 陈明 and 陈* too. One
        // character looks under the commonest pair it starts (陈华) and
        // the commonest it ends (王陈), and says there are more.
        var households = function (key) {
          return entries("h", key).then(function (hs) {
            return hs.map(function (h) {
              var place = h[3] + (h[2] ? " · " + say("grid").replace("{n}", h[2]) : "") + " · " + h[5];
              return { score: (!grid || h[2] === grid) ? fit(h[0], q) : 0, name: h[0], href: h[4] + "#h" + h[1], place: place };
            }).filter(function (f) { return f.score > 0; });
          });
        };
        if (han.length > 1) {
          asked.push(households(han[0] + han[han.length - 1]));
          if (han.length === 2) asked.push(households(han[0] + "*"));
        } else {
          asked.push(first.then(function (vs) {
            var pairs = vs.filter(function (v) { return v[0] === "@"; })[0];
            if (!pairs) return [];
            var starts = Array.from(pairs[1]), ends = Array.from(pairs[2]);
            if (starts.length > 1 || ends.length > 1) more = true;
            var keys = [];
            if (starts.length) keys.push(han[0] + starts[0]);
            if (ends.length) keys.push(ends[0] + han[0]);
            return Promise.all(keys.map(households)).then(function (lists) { return [].concat.apply([], lists); });
          }));
        }
      } else if (/^[a-z]{2}/.test(q)) {
        asked.push(entries("p", q.slice(0, 2)).then(function (vs) {
          return vs.filter(function (v) { return !grid && v[3].some(function (r) { return r.indexOf(q) === 0; }); })
            .map(function (v) { return { score: 4, name: v[0], href: v[1], place: v[2] }; });
        }));
      }
      return Promise.all(asked).then(function (parts) {
        var out = [], seen = {};
        parts.forEach(function (part) {
          part.forEach(function (f) { if (!seen[f.href]) { seen[f.href] = 1; out.push(f); } });
        });
        // Best fits first; among equals, the order of the index.
        out.forEach(function (f, i) { f.i = i; });
        out.sort(function (a, b) { return b.score - a.score || a.i - b.i; });
        return show(raw, out, more);
      });
    }).catch(function () {
      list.textContent = "";
      list.setAttribute("data-for", raw);
      status.textContent = say("none");
    });
  }

  // Results for `raw`; the list says which query they answer (for whoever
  // reads the page after typing: a person, or a test).
  function show(raw, found, more) {
    list.textContent = "";
    list.setAttribute("data-for", raw);
    found.slice(0, MAX).forEach(function (f) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + f.href;
      a.textContent = f.name;
      var span = document.createElement("span");
      span.className = "meta";
      span.textContent = f.place;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(span);
      list.appendChild(li);
    });
    status.textContent = !found.length ? say("none") : more || found.length > MAX ? say("more") : "";
  }

  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(box.value); }, 150);
  });
  box.form.addEventListener("submit", function (e) { e.preventDefault(); run(box.value); });
  var start = new URLSearchParams(location.search).get("q");
  if (start) { box.value = start; run(start); }
})();
