/*
 * An LMS stand-in for `coursepack preview` and the browser tests, built on scorm-again (the real
 * SCORM 1.2 / 2004 runtime API, not a mock). It behaves like an LMS player window:
 *
 * - creates `window.API` (1.2) or `window.API_1484_11` (2004) with the learner's saved data loaded,
 *   as an LMS does at launch (entry = resume after exit = suspend, total time carried over, mastery
 *   from the manifest), and plays the SCO in an iframe;
 * - records every API call: function, arguments, return value, the error code after it, the session;
 * - keeps what the SCO committed (the data a real LMS would have stored by then): a snapshot is taken
 *   after every successful commit and finish, and the next launch starts from it;
 * - `relaunch()` ends the session the way a learner does (the SCO's document goes away: pagehide),
 *   then launches again with a fresh API holding the committed data;
 * - `failing = true` makes writes and commits fail (error 101) without reaching the data model, as
 *   an LMS that lost its server would, so authors can watch the runtime recover;
 * - `listeners` hear of every call as it happens (the preview's panel).
 *
 * Driven through `window.lms` (src/preview/client/preview.js, tests/support/browser/lms.ts).
 * No inline script.
 */
(function () {
  'use strict';

  var STANDARDS = {
    scorm12: {
      global: 'API',
      ctor: 'Scorm12API',
      init: 'LMSInitialize',
      finish: 'LMSFinish',
      commit: 'LMSCommit',
      set: 'LMSSetValue',
      functions: ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError',
        'LMSGetErrorString', 'LMSGetDiagnostic'],
    },
    scorm2004: {
      global: 'API_1484_11',
      ctor: 'Scorm2004API',
      init: 'Initialize',
      finish: 'Terminate',
      commit: 'Commit',
      set: 'SetValue',
      functions: ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit', 'GetLastError', 'GetErrorString',
        'GetDiagnostic'],
    },
  };

  /** Nested CMI JSON → { 'cmi.a.b': 'value' }, strings only, empty values left out. */
  function flatten(value, prefix, out) {
    out = out || {};
    if (value === null || value === undefined) return out;
    if (typeof value === 'object') {
      Object.keys(value).forEach(function (key) {
        flatten(value[key], prefix ? prefix + '.' + key : key, out);
      });
    } else if (String(value) !== '') {
      out[prefix] = String(value);
    }
    return out;
  }

  function pick(stored, keep) {
    var out = {};
    Object.keys(stored).forEach(function (key) {
      if (keep.some(function (k) { return key === k || key.indexOf(k + '.') === 0; })) out[key] = stored[key];
    });
    return out;
  }

  /**
   * What the LMS hands the SCO at launch. `stored` is the data committed in the previous session
   * (null on the first launch); `total` the total time so far.
   */
  /** What an edition names differently, and which attempt it resumes with the learner's record. */
  var EDITIONS = {
    scorm12: {
      id: 'cmi.core.student_id', name: 'cmi.core.student_name', credit: 'cmi.core.credit', mode: 'cmi.core.lesson_mode',
      entry: 'cmi.core.entry', exit: 'cmi.core.exit', total: 'cmi.core.total_time',
      passing: ['masteryScore', 'cmi.student_data.mastery_score'], threshold: null,
      kept: ['cmi.core.lesson_location', 'cmi.core.lesson_status', 'cmi.core.score', 'cmi.suspend_data', 'cmi.interactions',
        'cmi.objectives', 'cmi.comments'],
      // A 1.2 LMS keeps the learner's record between sessions; entry says whether this is a resume.
      resumes: function (stored) { return !!stored; },
    },
    scorm2004: {
      id: 'cmi.learner_id', name: 'cmi.learner_name', credit: 'cmi.credit', mode: 'cmi.mode',
      entry: 'cmi.entry', exit: 'cmi.exit', total: 'cmi.total_time',
      passing: ['scaledPassingScore', 'cmi.scaled_passing_score'], threshold: 'cmi.completion_threshold',
      kept: ['cmi.location', 'cmi.suspend_data', 'cmi.completion_status', 'cmi.success_status', 'cmi.score',
        'cmi.progress_measure', 'cmi.interactions', 'cmi.objectives', 'cmi.comments_from_learner'],
      // SCORM 2004: only a suspended attempt is resumed; any other exit ends the attempt.
      resumes: function (stored) { return !!stored && stored['cmi.exit'] === 'suspend'; },
    },
  };

  function launchData(config, stored, total) {
    var e = EDITIONS[config.standard === 'scorm12' ? 'scorm12' : 'scorm2004'];
    var learner = config.learner || { id: 'learner-1', name: 'Learner, Test' };
    var given = function (v) { return v !== null && v !== undefined; };
    var d = {};
    d[e.id] = learner.id;
    d[e.name] = learner.name;
    d[e.credit] = 'credit';
    d[e.mode] = config.mode || 'normal';
    if (given(config[e.passing[0]])) d[e.passing[1]] = String(config[e.passing[0]]);
    if (e.threshold && given(config.completionThreshold)) d[e.threshold] = String(config.completionThreshold);
    if (config.launchData) d['cmi.launch_data'] = config.launchData;
    if (!e.resumes(stored)) {
      d[e.entry] = 'ab-initio';
      return d;
    }
    Object.assign(d, pick(stored, e.kept));
    d[e.entry] = stored[e.exit] === 'suspend' ? 'resume' : '';
    if (total) d[e.total] = total;
    return d;
  }

  var frame = null;
  /** The last write or commit failed on purpose (lms.failing); the error functions say so. */
  var simulated = false;
  var lms = {
    config: null,
    /** Every API call: { session, seq, fn, args, result, error, afterFinish, staleApi, threw? }. */
    calls: [],
    /** One per launch: { index, launchData, initialized, finished }. */
    sessions: [],
    /** Flattened CMI as last committed (what the LMS has stored). */
    stored: null,
    /** Total time as of the last commit, in the standard's own format. */
    totalTime: '',
    /** Each commit/finish snapshot: { session, fn, data }. */
    commits: [],
    /** scorm-again's events for initialise, set, commit and finish: { session, name, element }. */
    events: [],
    api: null,
    /** Problems of the host itself (a launch that could not load its data). */
    problems: [],
    /** While true, writes and commits fail with error 101 and change nothing. */
    failing: false,
    /** Functions called with each call entry once it has returned. */
    listeners: [],

    configure: function (config) {
      if (!STANDARDS[config.standard]) throw new Error('unknown standard ' + config.standard);
      lms.config = config;
      document.getElementById('lms-title').textContent = 'LMS host — ' + config.standard;
    },

    /** Creates a fresh API holding the stored data and loads the SCO. */
    launch: function () {
      var config = lms.config;
      var std = STANDARDS[config.standard];
      var session = {
        index: lms.sessions.length,
        launchData: launchData(config, lms.stored, lms.totalTime),
        initialized: false,
        finished: false,
      };
      lms.sessions.push(session);
      var Ctor = window[std.ctor];
      var settings = Object.assign({ autocommit: false, logLevel: 4 }, config.settings || {});
      var api = new Ctor(settings);
      try {
        api.loadFromFlattenedJSON(session.launchData);
      } catch (e) {
        lms.problems.push('loading launch data failed: ' + e);
      }
      std.functions.forEach(function (fn) {
        var original = api[fn];
        api[fn] = function () {
          var args = Array.prototype.slice.call(arguments);
          var entry = {
            session: session.index,
            seq: lms.calls.length,
            fn: fn,
            args: args.map(function (a) { return typeof a === 'string' ? a : String(a); }),
            result: null,
            error: null,
            afterFinish: session.finished,
            staleApi: lms.api !== api,
          };
          lms.calls.push(entry);
          var result;
          var query = /GetLastError|GetErrorString|GetDiagnostic/.test(fn);
          if (query && simulated) {
            // The error functions report the failure the stand-in simulated on the call before.
            result = /LastError/.test(fn) ? '101' : 'General exception (simulated LMS failure)';
          } else if (lms.failing && (fn === std.set || fn === std.commit)) {
            simulated = true;
            result = 'false';
          } else {
            if (!query) simulated = false;
            try {
              result = original.apply(api, args);
            } catch (e) {
              entry.threw = String(e);
              entry.error = String(api.lastErrorCode);
              throw e;
            }
          }
          entry.result = result === undefined ? null : typeof result === 'string' ? result : String(result);
          entry.error = simulated ? '101' : String(api.lastErrorCode);
          if (fn === std.init && entry.result === 'true') session.initialized = true;
          if ((fn === std.commit || fn === std.finish) && entry.result === 'true') {
            lms.stored = flatten(api.renderCommitCMI(false, true), '');
            lms.totalTime = lms.stored[config.standard === 'scorm12' ? 'cmi.core.total_time' : 'cmi.total_time'] || '';
            lms.commits.push({ session: session.index, fn: fn, data: lms.stored });
          }
          if (fn === std.finish && entry.result === 'true') session.finished = true;
          lms.listeners.forEach(function (listener) { listener(entry); });
          return result;
        };
      });
      // scorm-again's own events, an independent count of what reached the data model: a SCO that
      // bypassed the standard functions (calling internals) would show here but not in `calls`.
      [std.init, std.set, std.commit, std.finish].forEach(function (name) {
        api.on(name, function (element) {
          lms.events.push({ session: session.index, name: name, element: typeof element === 'string' ? element : null });
        });
      });
      Object.keys(STANDARDS).forEach(function (k) {
        try { delete window[STANDARDS[k].global]; } catch (e) { window[STANDARDS[k].global] = undefined; }
      });
      window[std.global] = api;
      lms.api = api;
      document.getElementById('lms-session').textContent = 'session ' + (session.index + 1);
      frame.src = config.sco;
      return session.index;
    },

    /**
     * Ends the session as a learner closing the course does: the SCO's document is replaced
     * (it gets pagehide and unload). Resolves when the frame shows the blank page.
     */
    unload: function () {
      return new Promise(function (resolve) {
        var done = function () {
          frame.removeEventListener('load', done);
          resolve(lms.sessions.length ? lms.sessions[lms.sessions.length - 1].finished : false);
        };
        frame.addEventListener('load', done);
        frame.src = 'about:blank';
      });
    },

    /** unload() then launch(): the next session starts from what was committed. */
    relaunch: function () {
      return lms.unload().then(function (finished) {
        lms.launch();
        return finished;
      });
    },

    /** The LMS's live copy of the data model (not through the API: no call is recorded). */
    peek: function () {
      return lms.api ? flatten(lms.api.renderCMIToJSONObject(), '') : {};
    },
  };

  window.lms = lms;
  document.addEventListener('DOMContentLoaded', function () {
    frame = document.getElementById('sco');
  });
})();
