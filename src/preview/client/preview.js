/*
 * The preview page: launches the course in the LMS stand-in (lms-host.js), shows live what the
 * runtime reports, rebuilds arrive over server-sent events and relaunch the course where the
 * learner was, and a broken build shows its diagnostics. No inline script; learner and course
 * text only ever reach the page through textContent.
 */
(function () {
  'use strict';
  var lms = window.lms;
  var $ = function (id) { return document.getElementById(id); };
  var status = null;
  var launched = false;
  var xapiSessions = 0;

  function scorm() { return status && (status.target === 'scorm12' || status.target === 'scorm2004'); }
  function xapi() { return status && status.lrs === 'stand-in'; }

  /** Tells the server (same-origin only: the header cannot come from another site's form). */
  function control(action) {
    return fetch('/control?action=' + action, { method: 'POST', headers: { 'X-Coursepack': 'preview' } });
  }

  function launch() {
    if (xapi()) {
      // The LRS stand-in writes the launch (cmi5: LaunchData, a one-time fetch URL) and names the URL.
      fetch('/launch').then(function (r) { return r.json(); }).then(function (l) { $('sco').src = l.url; });
      xapiSessions++;
      $('lms-session').textContent = 'session ' + xapiSessions;
    } else if (scorm()) {
      lms.configure({
        standard: status.target,
        sco: '/sco/index.html',
        learner: { id: 'preview-learner', name: 'Learner, Preview' },
        masteryScore: status.target === 'scorm12' ? status.launch.masteryScore : null,
        scaledPassingScore: status.target === 'scorm2004' ? status.launch.scaledPassingScore : null,
      });
      lms.launch();
    } else {
      $('sco').src = '/sco/index.html';
    }
    launched = true;
    $('lms-title').textContent = status.title + ' — ' + status.target;
  }

  /** Ends the session the way a learner leaving does, then launches again from what was saved. */
  function relaunch() {
    if (scorm()) return lms.relaunch();
    if (xapi()) {
      // Leave (pagehide sends the closing statements), then launch a new session.
      $('sco').src = 'about:blank';
      setTimeout(launch, 50);
      return Promise.resolve();
    }
    $('sco').src = 'about:blank';
    setTimeout(function () { $('sco').src = '/sco/index.html'; }, 0);
    return Promise.resolve();
  }

  function showBuild(next) {
    var first = !status;
    status = next;
    var errors = next.diagnostics.filter(function (d) { return / error: /.test(d); });
    $('errors').hidden = next.ok;
    $('error-list').textContent = next.ok ? '' : next.diagnostics.join('\n');
    $('build-status').textContent = next.ok
      ? 'build ' + next.build + ' in ' + next.ms + ' ms'
      : 'build ' + next.build + ' failed: ' + errors.length + ' error' + (errors.length === 1 ? '' : 's');
    if (first && next.ok) launch();
    else if (next.ok && !launched) launch();
    else if (next.ok && next.changed.length && next.changed.every(function (p) { return /^pages\//.test(p); })) {
      // Only page text changed: the course shows the new version in place, no new LMS session.
      $('sco').contentWindow.postMessage({ coursepack: 'reload-page' }, location.origin);
    } else if (next.ok && next.changed.length) relaunch();
  }

  function row(key, value) {
    var tr = document.createElement('tr');
    var k = document.createElement('td');
    var v = document.createElement('td');
    k.textContent = key;
    v.textContent = value.length > 300 ? value.slice(0, 297) + '…' : value;
    tr.append(k, v);
    return tr;
  }

  var pendingModel = false;
  function showModel() {
    if (pendingModel) return;
    pendingModel = true;
    requestAnimationFrame(function () {
      pendingModel = false;
      var data = lms.peek();
      var rows = Object.keys(data).sort().map(function (key) { return row(key, data[key]); });
      $('model').replaceChildren.apply($('model'), rows);
    });
  }

  function showCall(entry) {
    if (/GetLastError|GetErrorString|GetDiagnostic/.test(entry.fn)) return;
    var li = document.createElement('li');
    var args = entry.args.map(function (a) { return JSON.stringify(a.length > 120 ? a.slice(0, 117) + '…' : a); }).join(', ');
    li.textContent = '#' + entry.seq + ' ' + entry.fn + '(' + args + ') → ' + JSON.stringify(entry.result) + ' [' + entry.error + ']';
    if (entry.error !== '0') li.className = 'bad';
    $('calls').prepend(li);
    $('call-count').textContent = '(' + lms.calls.length + ')';
    showModel();
  }

  /** A stored statement, as the local LRS stand-in reports it. */
  function showStatement(st) {
    var li = document.createElement('li');
    li.textContent = st.verb + ' ' + st.object + (st.result ? ' — ' + st.result : '');
    $('calls').prepend(li);
    $('call-count').textContent = '(' + $('calls').children.length + ')';
    showDocuments();
  }

  var pendingDocs = false;
  function showDocuments() {
    if (pendingDocs) return;
    pendingDocs = true;
    setTimeout(function () {
      fetch('/learner.json').then(function (r) { return r.json(); }).then(function (data) {
        pendingDocs = false;
        var rows = Object.keys(data.documents || {}).sort().map(function (key) {
          return row(key, JSON.stringify(data.documents[key]));
        });
        $('model').replaceChildren.apply($('model'), rows);
      });
    }, 300);
  }

  function download() {
    if (xapi()) return fetch('/learner.json').then(function (r) { return r.text(); }).then(function (text) { save(text); });
    var data = { target: status && status.target, stored: lms.stored, live: lms.peek(), browser: {} };
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      data.browser[key] = localStorage.getItem(key);
    }
    save(JSON.stringify(data, null, 2));
  }

  function save(text) {
    var url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    var a = document.createElement('a');
    a.href = url;
    a.download = 'learner-state.json';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  lms.listeners.push(showCall);
  $('reset').addEventListener('click', function () {
    if (xapi()) {
      $('sco').src = 'about:blank';
      return control('reset').then(function () {
        localStorage.clear();
        sessionStorage.clear();
        $('calls').replaceChildren();
        $('model').replaceChildren();
        launch();
      });
    }
    var done = scorm() ? lms.unload() : Promise.resolve();
    done.then(function () {
      lms.stored = null;
      lms.totalTime = '';
      localStorage.clear();
      $('calls').replaceChildren();
      launch();
    });
  });
  $('relaunch').addEventListener('click', relaunch);
  $('fail').addEventListener('click', function () {
    var failing = this.getAttribute('aria-pressed') !== 'true';
    lms.failing = failing;
    if (xapi()) control(failing ? 'fail' : 'recover');
    this.setAttribute('aria-pressed', String(failing));
  });
  $('download').addEventListener('click', download);
  var events = new EventSource('/events');
  events.addEventListener('build', function (e) {
    var next = JSON.parse(e.data);
    if (!status && next.lrs) {
      // xAPI and cmi5 talk to the preview's own LRS stand-in: say so plainly.
      $('calls-title').firstChild.textContent = 'Statements stored by the local LRS stand-in (in memory, not a conformant LRS) ';
      $('model-title').textContent = 'State and agent profile documents';
      $('fail').textContent = 'Simulate LRS failure (503)';
    }
    showBuild(next);
  });
  events.addEventListener('statement', function (e) { showStatement(JSON.parse(e.data)); });
})();
