'use strict';
// A thumbnail for every upload: deploy with --trigger 's3:bucket=photos,prefix=uploads/,...'.
// The upload's folder is kept: uploads/a/b.jpg -> thumbs/a/b.jpg, in the same bucket.
const { thumbKey, thumbSize, format, scale } = require('./thumbs');

const MAX_BYTES = 50 * 1024 * 1024;

exports.handler = async (event, context) => {
  const env = context.env;
  const bucket = event.extensions.s3bucket;
  const key = event.extensions.s3key || event.subject;
  if (!bucket || !key) {
    throw new Error(
      `event ${event.id} of type ${event.type} is not an object-storage event (no s3bucket/s3key);` +
        " deploy with --trigger 's3:bucket=...'",
    );
  }
  const size = thumbSize(env.THUMB_SIZE || '200');
  const target = thumbKey(key, env.SOURCE_PREFIX || 'uploads/', env.THUMB_PREFIX || 'thumbs/');
  if (target === null) {
    context.logger.info(`skipping s3://${bucket}/${key}: already a thumbnail`);
    return { skipped: key };
  }
  const s3 = client(env);
  const original = await read(s3, bucket, key);
  const fmt = format(key);
  let thumb;
  try {
    thumb = await scale(original, size, fmt, {
      convert: env.CONVERT || '/usr/bin/convert',
      timeoutMs: Math.max(1000, context.remainingMs() - 1000),
    });
  } catch (e) {
    throw new Error(`s3://${bucket}/${key} is ${e.message}`);
  }
  const type = fmt === 'jpg' ? 'image/jpeg' : `image/${fmt}`;
  await s3.putObject(bucket, target, thumb, thumb.length, { 'Content-Type': type });
  context.logger.info(
    `s3://${bucket}/${key} (${original.length} bytes) -> s3://${bucket}/${target} (${thumb.length} bytes)`,
  );
  return { source: `s3://${bucket}/${key}`, thumbnail: `s3://${bucket}/${target}`, bytes: thumb.length };
};

/** A MinIO client for the store the platform gives every function (or --env overrides). */
function client(env) {
  const endpoint = env.FLOWFN_S3_ENDPOINT;
  if (!endpoint) {
    throw new Error(
      'FLOWFN_S3_ENDPOINT is not set: the platform sets it, or deploy with --env FLOWFN_S3_ENDPOINT=http://host:9000',
    );
  }
  const url = new URL(endpoint);
  const Minio = require('minio'); // here, not at the top: the unit test runs without node_modules
  return new Minio.Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: url.protocol === 'https:',
    accessKey: env.FLOWFN_S3_ACCESS_KEY || '',
    secretKey: env.FLOWFN_S3_SECRET_KEY || '',
    region: env.AWS_REGION || 'us-east-1', // no bucket-location lookup first
    pathStyle: true,
  });
}

async function read(s3, bucket, key) {
  const stream = await s3.getObject(bucket, key);
  const chunks = [];
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length > MAX_BYTES) {
      stream.destroy();
      throw new Error(`s3://${bucket}/${key} is over ${MAX_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
