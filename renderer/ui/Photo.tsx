import { zhCN } from '../../core/i18n/zh-CN.js';

/** A candidate photo in the standard 3:4 frame, or a placeholder when the roster has none. */
export function Photo({ src, alt }: { src: string | undefined; alt: string }) {
  return src ? (
    <img className="photo" src={src} alt={alt} data-testid="candidate-photo" />
  ) : (
    <div className="photo photo--missing" data-testid="candidate-photo-missing">
      {zhCN.candidate.noPhoto}
    </div>
  );
}
