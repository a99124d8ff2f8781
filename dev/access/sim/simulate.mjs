// Evaluates IAM requests with @cloud-copilot/iam-simulate, which implements
// AWS's documented policy evaluation logic (explicit deny, identity and
// resource policies, same-account rules, KMS key policies, every condition
// operator). Reads a JSON array of simulations on stdin, writes a JSON array
// of results on stdout, one per simulation, in order. A context key that
// does not apply to the request's action is an error, never ignored.
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const sims = JSON.parse(Buffer.concat(chunks).toString('utf8'))

function statementsOf(list, policy) {
  // The statements are the library's objects; their JSON is the policy's.
  return (list || []).map((s) => ({ policy: s.policyId || policy, sid: JSON.parse(JSON.stringify(s.statement || {})).Sid || '' }))
}

async function evaluate(sim) {
  const input = {
    identityPolicies: sim.identityPolicies || [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: sim.resourcePolicy || undefined,
    request: sim.request.principal === 'anonymous' ? { ...sim.request, principal: anonymousPrincipal } : sim.request
  }
  const res = await runSimulation(input, {})
  if (res.errors) {
    return { result: 'Error', errors: [JSON.stringify(res.errors)] }
  }
  const analysis = res.result?.analysis || {}
  const out = {
    result: res.overallResult,
    allow: [
      ...statementsOf(analysis.identityAnalysis?.allowStatements, 'identity policy'),
      ...statementsOf(analysis.resourceAnalysis?.allowStatements, 'resource policy')
    ],
    deny: [
      ...statementsOf(analysis.identityAnalysis?.denyStatements, 'identity policy'),
      ...statementsOf(analysis.resourceAnalysis?.denyStatements, 'resource policy')
    ],
    ignored: res.result?.ignoredContextKeys || []
  }
  if (out.ignored.length > 0) {
    return { result: 'Error', errors: [`context keys ${out.ignored.join(', ')} do not apply to ${sim.request.action}`] }
  }
  return out
}

const results = []
for (const sim of sims) {
  try {
    results.push(await evaluate(sim))
  } catch (e) {
    results.push({ result: 'Error', errors: [String(e && e.message ? e.message : e)] })
  }
}
process.stdout.write(JSON.stringify(results))
