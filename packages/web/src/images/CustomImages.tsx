import { useRef, useState, type SyntheticEvent } from 'react';
import { ErrorText } from '../shared/Banner.js';
import { formatBytes } from '../shared/format.js';
import { createUpload, sendChunks, type UploadFields } from './chunked-upload.js';

const FILETYPES = [
  'tgz',
  'tbz',
  'txz',
  'ddtgz',
  'ddtbz',
  'ddtxz',
  'ddtar',
  'ddbz2',
  'ddgz',
  'ddxz',
  'ddraw',
];

/** Upload form for a custom image: chunked, with progress, resumable after a failure or pause. */
export function CustomUpload() {
  const [fields, setFields] = useState<UploadFields>({
    name: '',
    title: '',
    architecture: 'amd64/generic',
    filetype: 'tgz',
    baseImage: '',
  });
  const [file, setFile] = useState<File | null>(null);
  const [resourceId, setResourceId] = useState<number | null>(null);
  const [sent, setSent] = useState(0);
  const [state, setState] = useState<'idle' | 'uploading' | 'done' | 'stopped'>('idle');
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const run = async (resume: boolean) => {
    if (file === null) return;
    setError(null);
    setState('uploading');
    abort.current = new AbortController();
    try {
      const id = resume && resourceId !== null ? resourceId : await createUpload(fields, file);
      setResourceId(id);
      await sendChunks(id, file, setSent, abort.current.signal);
      setState('done');
    } catch (e) {
      setError(e);
      setState('stopped');
    }
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(false);
  };
  const set = (key: keyof UploadFields) => (e: { target: { value: string } }) => {
    setFields({ ...fields, [key]: e.target.value });
  };
  const percent = file === null || file.size === 0 ? 0 : Math.floor((sent * 1000) / file.size) / 10;
  return (
    <form onSubmit={submit} className="upload" aria-label="Upload custom image">
      <fieldset disabled={state === 'uploading'}>
        <legend>Upload a custom image</legend>
        <div className="grid">
          <label>
            Name
            <input
              required
              placeholder="custom/my-image"
              value={fields.name}
              onChange={set('name')}
            />
          </label>
          <label>
            Title
            <input value={fields.title} onChange={set('title')} />
          </label>
          <label>
            Architecture
            <input required value={fields.architecture} onChange={set('architecture')} />
          </label>
          <label>
            File type
            <select value={fields.filetype} onChange={set('filetype')}>
              {FILETYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Base image
            <input
              placeholder="ubuntu/noble"
              value={fields.baseImage}
              onChange={set('baseImage')}
            />
          </label>
          <label>
            Image file
            <input
              type="file"
              required
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setResourceId(null);
                setSent(0);
                setState('idle');
              }}
            />
          </label>
        </div>
        <button type="submit" className="primary">
          Upload
        </button>
      </fieldset>
      {state === 'uploading' ? (
        <button type="button" onClick={() => abort.current?.abort()}>
          Pause upload
        </button>
      ) : null}
      {state === 'stopped' && resourceId !== null ? (
        <button type="button" onClick={() => void run(true)}>
          Resume upload
        </button>
      ) : null}
      {file !== null && state !== 'idle' ? (
        <p role="status">
          <progress max={100} value={percent} aria-label="Upload progress" /> {formatBytes(sent)} of{' '}
          {formatBytes(file.size)} ({percent.toFixed(1)}%)
          {state === 'done' ? ' — uploaded' : ''}
        </p>
      ) : null}
      <ErrorText error={error} />
    </form>
  );
}
