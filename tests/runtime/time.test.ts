import { describe, expect, it } from 'vitest';
import { isoDuration, isoTimestamp, scorm12Clock, scorm12Timespan } from '../../src/runtime/time.ts';

// The strict spec formats (SCORM 1.2 RTE 3.4.2 / SCORM 2004 RTE 4.1), stricter than scorm-again.
const TIMESPAN_12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
const CLOCK_12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const DURATION_2004 = /^P(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)$/;
const TIMESTAMP_2004 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2}Z$/;

describe('SCORM 1.2 time', () => {
  it.each([
    [0, '0000:00:00.00'],
    [1234, '0000:00:01.23'],
    [61_000, '0000:01:01.00'],
    [3_723_450, '0001:02:03.45'],
    [99_999 * 3_600_000, '9999:59:59.99'], // capped at the largest timespan 1.2 allows
  ])('timespan of %d ms is %s', (ms, text) => {
    expect(scorm12Timespan(ms)).toBe(text);
    expect(text).toMatch(TIMESPAN_12);
  });

  it('clock time is HH:MM:SS local time', () => {
    const at = new Date(2024, 4, 1, 9, 5, 7).getTime();
    expect(scorm12Clock(at)).toBe('09:05:07');
    expect(scorm12Clock(Date.now())).toMatch(CLOCK_12);
  });
});

describe('SCORM 2004 time', () => {
  it.each([
    [0, 'PT0S'],
    [500, 'PT0.5S'],
    [1234, 'PT1.23S'],
    [60_000, 'PT1M'],
    [3_723_500, 'PT1H2M3.5S'],
    [36_000_000, 'PT10H'],
  ])('duration of %d ms is %s', (ms, text) => {
    expect(isoDuration(ms)).toBe(text);
  });

  it('never writes more than two decimals, for any duration', () => {
    for (let ms = 0; ms < 200_000; ms += 37) expect(isoDuration(ms)).toMatch(DURATION_2004);
  });

  it('timestamp is ISO 8601 in UTC to the hundredth (a zone may only follow a fraction in SCORM)', () => {
    expect(isoTimestamp(Date.UTC(2024, 4, 1, 9, 30, 5, 678))).toBe('2024-05-01T09:30:05.67Z');
    expect(isoTimestamp(Date.now())).toMatch(TIMESTAMP_2004);
  });
});
