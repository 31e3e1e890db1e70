/**
 * Reads a history JSON file (as `temporal workflow show --output json` writes it) into a History.
 * Parsed with the protobufjs copy that @temporalio/proto itself uses: in this install
 * @temporalio/common has a second copy, so the SDK's historyFromJSON fails with "type must be a Type".
 */
import fs from 'node:fs';
import path from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;
interface ProtoJson {
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

export function historyFromJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History | null;
  if (!history) throw new Error('not a history');
  return history;
}

export function readHistoryFile(file: string): History {
  return historyFromJson(JSON.parse(fs.readFileSync(file, 'utf8')));
}
