import { useState } from 'react';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { CameraScene } from '../../camera/simulated-camera.js';
import type { Scenario, ScenarioId, SimulatorState } from '../stores/simulator-store.js';

const t = zhCN.simulator;
const fixtures = ['hmt-residence', 'foreign-2017', 'foreign-2023'] as const;
const scenes: readonly CameraScene[] = ['candidate', 'stranger', 'empty'];

/** The trainer's controls for the simulated devices; every button goes through the same device protocol as hardware. */
export function SimulatorPanel(props: {
  simulator: SimulatorState;
  scenarios: readonly Scenario[];
}) {
  const { simulator: s } = props;
  // Which candidate's card to place and which scenario to run are form inputs, not app state.
  const [chosen, setCitizenId] = useState<string | undefined>(undefined);
  const citizenId = chosen ?? s.candidates[0]?.citizenId ?? '';
  const [scenario, setScenario] = useState<ScenarioId>('normal');
  const brief = props.scenarios.find((item) => item.id === scenario)?.brief;
  return (
    <details className="panel simulator" data-testid="simulator-panel" open>
      <summary>
        <h2>{t.title}</h2>
      </summary>
      <p className="hint">{t.hint}</p>
      <fieldset className="simulator__group" disabled={s.busy}>
        <legend>{t.card}</legend>
        <label className="field">
          <span>{t.chooseCandidate}</span>
          <select value={citizenId} onChange={(event) => setCitizenId(event.target.value)} data-testid="sim-candidate">
            {s.candidates.map((c) => (
              <option key={c.citizenId} value={c.citizenId}>
                {c.name} {c.citizenId.slice(-4)}
              </option>
            ))}
          </select>
        </label>
        <div className="simulator__row">
          <button className="button" type="button" onClick={() => void s.placeCard(citizenId)} data-testid="sim-place-card">
            {t.placeCard}
          </button>
          <button className="button" type="button" onClick={() => void s.removeCard()} data-testid="sim-remove-card">
            {t.removeCard}
          </button>
          <button className="button" type="button" onClick={() => void s.cardFault('removed-mid-read')}>
            {t.cardFault}
          </button>
        </div>
        <div className="simulator__row">
          <span className="hint">{t.otherDocuments}</span>
          {fixtures.map((fixture) => (
            <button key={fixture} className="button button--small" type="button" onClick={() => void s.placeFixture(fixture)}>
              {t.fixtures[fixture]}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset className="simulator__group" disabled={s.busy}>
        <legend>{t.finger}</legend>
        <div className="simulator__row">
          <button className="button" type="button" onClick={() => void s.placeFinger('good')} data-testid="sim-finger-good">
            {t.placeGood}
          </button>
          <button className="button" type="button" onClick={() => void s.placeFinger('poor')} data-testid="sim-finger-poor">
            {t.placePoor}
          </button>
          <button className="button" type="button" onClick={() => void s.placeFinger('wrong')} data-testid="sim-finger-wrong">
            {t.placeWrong}
          </button>
          <button className="button" type="button" onClick={() => void s.liftFinger()} data-testid="sim-finger-lift">
            {t.lift}
          </button>
          <button className="button" type="button" onClick={() => void s.scannerFault()}>
            {t.scannerFault}
          </button>
        </div>
      </fieldset>
      <fieldset className="simulator__group">
        <legend>{t.camera}</legend>
        <div className="simulator__row" role="radiogroup">
          {scenes.map((scene) => (
            <label key={scene} className="choice">
              <input type="radio" name="sim-scene" checked={s.scene === scene} onChange={() => s.setScene(scene)} data-testid={`sim-scene-${scene}`} />
              {t.scenes[scene]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="simulator__group" disabled={s.busy}>
        <legend>{t.network}</legend>
        <button className="button" type="button" onClick={() => void s.setNetwork(!s.networkOffline)} data-testid="sim-network">
          {s.networkOffline ? t.networkOnline : t.networkOffline}
        </button>
      </fieldset>
      <fieldset className="simulator__group" disabled={s.busy}>
        <legend>{t.scenariosTitle}</legend>
        <div className="simulator__row">
          <select value={scenario} onChange={(event) => setScenario(event.target.value as ScenarioId)} data-testid="sim-scenario">
            {props.scenarios.map((item) => (
              <option key={item.id} value={item.id}>
                {item.title}
              </option>
            ))}
          </select>
          <button className="button" type="button" onClick={() => void s.runScenario(scenario)} data-testid="sim-run-scenario">
            {t.runScenario}
          </button>
        </div>
        {brief && <p className="hint">{brief}</p>}
        <div className="simulator__row">
          {s.training ? (
            <button className="button" type="button" onClick={() => void s.endTraining()} data-testid="sim-end-training">
              {t.endTraining}
            </button>
          ) : (
            <button className="button" type="button" onClick={s.startTraining} data-testid="sim-start-training">
              {t.startTraining}
            </button>
          )}
        </div>
      </fieldset>
      {s.notice && (
        <p className={`message message--${s.notice.tone}`} data-testid="sim-notice" role="status">
          {s.notice.text}
        </p>
      )}
    </details>
  );
}
