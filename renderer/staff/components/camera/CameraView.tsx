import { useEffect, useRef } from 'react';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { CameraDevice } from '../../../camera/camera-service.js';

const t = zhCN.face.camera;

/** The live preview with a head-and-shoulders guide; the stream and its errors come from the camera store. */
export function CameraView(props: {
  status: 'off' | 'starting' | 'on' | 'failed';
  message: string | undefined;
  stream: MediaStream | undefined;
  devices: readonly CameraDevice[];
  deviceId: string | undefined;
  onStart: (deviceId?: string) => void;
  onVideo: (video: HTMLVideoElement | null) => void;
  /** What to frame: a head and shoulders (default) or an ID card. */
  guide?: 'face' | 'card';
}) {
  const card = props.guide === 'card';
  const video = useRef<HTMLVideoElement>(null);
  const { onVideo, stream } = props;
  // Binding a MediaStream to <video> has no attribute form; it is the one imperative step here.
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    if (element.srcObject !== (stream ?? null)) element.srcObject = stream ?? null;
    onVideo(element);
    return () => onVideo(null);
  }, [stream, onVideo]);

  return (
    <div className="camera" data-testid="camera" data-status={props.status}>
      <div className="camera__frame">
        <video ref={video} autoPlay muted playsInline className="camera__video" />
        {props.status === 'on' && <div className={card ? 'camera__guide camera__guide--card' : 'camera__guide'} aria-hidden="true" />}
        {props.status === 'on' && <p className="camera__hint">{card ? zhCN.ocrPanel.cardGuide : t.guide}</p>}
      </div>
      {props.status === 'failed' && (
        <p className="message message--error" role="alert" data-testid="camera-error">
          {props.message}
        </p>
      )}
      <div className="camera__controls">
        {props.devices.length > 1 && (
          <label className="field camera__choose">
            <span>{t.choose}</span>
            <select value={props.deviceId ?? ''} onChange={(event) => props.onStart(event.target.value)}>
              {props.devices.map((device) => (
                <option key={device.deviceId} value={device.deviceId}>
                  {device.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {props.status !== 'on' && (
          <button className="button" type="button" disabled={props.status === 'starting'} onClick={() => props.onStart()} data-testid="camera-start">
            {props.status === 'starting' ? t.starting : t.start}
          </button>
        )}
      </div>
    </div>
  );
}
