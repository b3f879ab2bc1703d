/**
 * What the stand-in answers, before it is written: status, body, headers, and for whoever watches
 * the traffic (the tests) a note and a `problem` — something a conforming client would not cause.
 */
import type { IncomingMessage } from 'node:http';

export interface Answer {
  status: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  note?: string;
  problem?: string;
}

export const json = (status: number, value: unknown, extra: Partial<Answer> = {}): Answer => ({
  ...extra,
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json', ...(extra.headers ?? {}) },
});

/** An error answer; a problem of the client unless `problem` is false. */
export const error = (status: number, message: string, problem = true): Answer =>
  json(status, { error: message }, problem ? { problem: message } : {});

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export const isJsonType = (type: string | undefined): boolean => /^application\/json\b/i.test(type ?? '');
