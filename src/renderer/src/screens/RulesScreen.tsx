// Rules: which meetings count as portfolio reviews (with a preview of what an edit would
// reclassify before it is saved), and how often each client should be reviewed.
import { ScreenHeader } from '../components/Empty';
import { PolicyEditor } from '../compliance/PolicyEditor';
import { RuleEditor } from '../compliance/RuleEditor';
import '../compliance/compliance.css';
import '../dashboard/dashboard.css';

export function RulesScreen() {
  return (
    <>
      <ScreenHeader
        title="Rules"
        subtitle="Which meetings are portfolio reviews, and how often each client should have one."
      />
      <RuleEditor />
      <PolicyEditor />
    </>
  );
}
