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

  var manifest = null;
  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return fetch(data.getAttribute("data-manifest")).then(function (r) { return r.text(); }).then(function (text) {
      manifest = {};
      text.split("\n").forEach(function (line) {
        var tab = line.indexOf("\t");
        if (tab > 0) manifest[line.slice(0, tab)] = line.slice(tab + 1);
      });
      return manifest;
    });
  }
  var shards = {};
  function shard(name) {
    if (!shards[name]) shards[name] = fetch(name).then(function (r) { return r.json(); });
    return shards[name];
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
    return loadManifest().then(function (m) {
      var han = Array.from(q).filter(isHan);
      var key = han.length ? "c" + han[0] : /^[a-z]/.test(q) ? "p" + q[0] : null;
      if (!key || !m[key]) return show(raw, [], false);
      var wanted = [m[key]];
      var buckets = Object.keys(m).filter(function (k) { return k.indexOf(key + "/") === 0; });
      var last = han.length > 1 ? key + "/" + han[han.length - 1] : null;
      var more = false;
      if (last && m[last]) wanted.push(m[last]);
      else { more = buckets.length > 3; buckets.slice(0, 3).forEach(function (k) { wanted.push(m[k]); }); }
      return Promise.all(wanted.map(shard)).then(function (parts) {
        var out = [], seen = {};
        parts.forEach(function (s) {
          s.v.forEach(function (v) {
            if (seen[v[1]]) return;
            if (v[0].indexOf(q) >= 0 && !grid) { seen[v[1]] = 1; out.push({ score: 4, name: v[0], href: v[1], place: v[2] }); }
          });
          s.p.forEach(function (p) {
            var v = s.v[p[0]];
            if (!seen[v[1]] && p[1].some(function (r) { return r.indexOf(q) === 0; })) {
              seen[v[1]] = 1; out.push({ score: 4, name: v[0], href: v[1], place: v[2] });
            }
          });
          s.h.forEach(function (h) {
            var v = s.v[h[1]], href = v[1] + "#h" + h[2], score = fit(h[0], q);
            if ((!grid || h[3] === grid) && score && !seen[href]) {
              seen[href] = 1;
              out.push({ score: score, name: h[0], href: href, place: v[0] + (h[3] ? " · " + say("grid").replace("{n}", h[3]) : "") + " · " + v[2] });
            }
          });
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
