import { flowSteps, stepStatus, type FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';

export function FlowStepper({ flow }: { flow: FlowState }) {
  return (
    <ol className="stepper" data-testid="flow-stepper" data-step={flow.step}>
      {flowSteps.map((step, index) => {
        const status = stepStatus(flow, step);
        return (
          <li key={step} className={`stepper__step stepper__step--${status}`} aria-current={status === 'current' ? 'step' : undefined}>
            <span className="stepper__index">{status === 'done' ? '✓' : index + 1}</span>
            <span className="stepper__label">{zhCN.flow.steps[step]}</span>
          </li>
        );
      })}
    </ol>
  );
}
