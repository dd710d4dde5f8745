// End-to-end tests of importing what people already have into the definition editor: the
// tutorial's own CloudFormation template (../shared/seed/call-center.yml) pasted and run, the
// import note (example values, picker, Undo), YAML definitions ("JSON"/"YAML"), and located
// template errors.
//
//   editor    #definition (textarea), #definition-status, #definition-problems li
//   import    #import-note, #import-machine (select), #undo-import, #import-again
//   formats   #show-json, #show-yaml (aria-pressed), #format-definition, #definition-format-status
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, e2eSuite, screenshot, textOf, waitForApp, waitForText, withApp } from './helpers.mjs';

const SEED = path.join(ROOT, '..', 'shared', 'seed', 'call-center.yml');
const NODE = (state) => `svg#state-graph g.state-node[data-state="${state}"]`;

async function ready(page) {
  await waitForApp(page);
  await page.waitForSelector('svg#state-graph g.state-node', { timeout: 5_000 });
}

/** Pastes `text` over the whole definition, as a person does (select all, then paste). */
async function paste(page, text) {
  await page.click('#definition');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

function editorText(page) {
  return page.$eval('#definition', (el) => el.value);
}

const TWO_MACHINES = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OpenCaseFunction:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: OpenCase
  OpenOnly:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub
        - '{"StartAt": "Open Case", "States": {"Open Case": {"Type": "Task", "Resource": "\${OpenCaseFunction.Arn}", "Comment": "in \${AWS::Region}", "End": true}}}'
        - {}
  Hello:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Say hello
        States:
          Say hello: {Type: Pass, Result: hello, End: true}
`;

describe('import into the definition editor', () => {
  const suite = e2eSuite();

  it("pasting the tutorial's call-center.yml imports its state machine, which runs", async () => {
    await withApp(
      suite,
      'import-call-center',
      async (page) => {
        const template = fs.readFileSync(SEED, 'utf8');
        await paste(page, template);
        await page.waitForSelector('#import-note', { timeout: 10_000 });
        const note = await textOf(page, '#import-note');
        assert.match(note, /Imported from a CloudFormation template \(YAML\): the state machine CallCenterStateMachine \(AWS::StepFunctions::StateMachine\), from its DefinitionString \(Fn::Sub\)\./);
        assert.match(note, /Nothing was filled in/);
        await waitForText(page, '#definition-status', 'Valid definition.');
        // The imported definition is shown from its first line.
        await page.waitForFunction(() => {
          const area = document.querySelector('#definition');
          return area.scrollTop === 0 && area.selectionStart === 0;
        });
        const text = await editorText(page);
        assert.ok(text.startsWith('{\n  "Comment": "AWS Step Functions state machine'), text.slice(0, 80));
        assert.equal(JSON.parse(text).States['Open Case'].Resource, 'arn:aws:lambda:us-east-2:AWS_ACCOUNT_ID:function:OpenCase');
        await screenshot(page, 'import-call-center-imported');

        await page.fill('#case-id', '001');
        await page.selectOption('#work-outcome', 'resolved');
        await page.click('#start');
        await page.click('#run');
        await waitForText(page, '#execution-status', 'Succeeded', { timeout: 60_000 });
        assert.match(await textOf(page, '#execution-output'), /Case 001: opened\.\.\.assigned\.\.\.resolved\.\.\.closed\./);
        assert.equal(await page.getAttribute(NODE('Close Case'), 'data-status'), 'succeeded');
        await screenshot(page, 'import-call-center-run');

        // Undo puts the template back exactly as pasted, and it can be imported again.
        await page.click('#undo-import');
        await page.waitForSelector('#import-again');
        assert.equal(await editorText(page), template);
        assert.match(await textOf(page, '#definition-status'), /1 problem/);
        assert.match(await textOf(page, '#definition-problems'), /CloudFormation template, kept as you pasted it/);
        await screenshot(page, 'import-call-center-undone');
        await page.click('#import-again');
        await page.waitForSelector('#undo-import');
        await waitForText(page, '#definition-status', 'Valid definition.');
        assert.ok((await editorText(page)).startsWith('{'));
      },
      { waitFor: ready },
    );
  });

  it('lists the example values filled in, and picks among several state machines', async () => {
    await withApp(
      suite,
      'import-two-machines',
      async (page) => {
        await paste(page, TWO_MACHINES);
        await page.waitForSelector('#import-machine', { timeout: 10_000 });
        const note = await textOf(page, '#import-note');
        assert.match(note, /\$\{OpenCaseFunction\.Arn\} → arn:aws:lambda:us-east-1:123456789012:function:OpenCase/);
        assert.match(note, /\$\{AWS::Region\} → us-east-1/);
        await page.waitForSelector(NODE('Open Case'));
        assert.deepEqual(
          await page.$$eval('#import-machine option', (options) => options.map((o) => o.value)),
          ['OpenOnly', 'Hello'],
        );
        await screenshot(page, 'import-two-machines');
        await page.selectOption('#import-machine', 'Hello');
        await page.waitForSelector(NODE('Say hello'), { timeout: 10_000 });
        assert.match(await textOf(page, '#import-note'), /the state machine Hello \(AWS::Serverless::StateMachine\), from its Definition\./);
        assert.equal(JSON.parse(await editorText(page)).States['Say hello'].Result, 'hello');
        await page.click('#start');
        await page.click('#run');
        await waitForText(page, '#execution-status', 'Succeeded', { timeout: 60_000 });
        assert.equal(JSON.parse(await textOf(page, '#execution-output')), 'hello');
      },
      { waitFor: ready },
    );
  });

  it('shows the definition as YAML and back, and locates YAML problems', async () => {
    await withApp(
      suite,
      'import-yaml',
      async (page) => {
        await page.click('#show-yaml');
        await waitForText(page, '#definition-format-status', /Shown as YAML/);
        const yaml = await editorText(page);
        assert.ok(yaml.startsWith('Comment: '), yaml.slice(0, 80));
        assert.match(yaml, /\n {2}Open Case:\n {4}Type: Task\n/);
        assert.equal(await page.getAttribute('#show-yaml', 'aria-pressed'), 'true');
        await waitForText(page, '#definition-status', 'Valid definition.');
        await screenshot(page, 'import-yaml-shown');

        // A problem in a YAML definition is located at its line in the YAML.
        const broken = yaml.replace('Next: Assign Case', 'Next: Nowhere');
        const line = broken.split('\n').findIndex((l) => l.includes('Next: Nowhere')) + 1;
        await paste(page, broken);
        await page.waitForSelector('#definition-problems', { timeout: 10_000 });
        const problems = await textOf(page, '#definition-problems');
        assert.match(problems, new RegExp(`^${line}:11 MISSING_TRANSITION_TARGET`), problems);
        await screenshot(page, 'import-yaml-problem');

        await paste(page, yaml);
        await waitForText(page, '#definition-status', 'Valid definition.', { timeout: 10_000 });
        await page.click('#show-json');
        await waitForText(page, '#definition-format-status', /Shown as JSON/);
        const json = JSON.parse(await editorText(page));
        assert.equal(json.StartAt, 'Open Case');
        assert.equal(await page.getAttribute('#show-json', 'aria-pressed'), 'true');
      },
      { waitFor: ready },
    );
  });

  it('says, located, when a template names a file it cannot read', async () => {
    await withApp(
      suite,
      'import-definition-uri',
      async (page) => {
        await paste(
          page,
          'Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/<b>flow</b>.asl.json\n',
        );
        await page.waitForSelector('#definition-problems', { timeout: 10_000 });
        const problems = await textOf(page, '#definition-problems');
        assert.match(problems, /^6:22 INVALID_JSON_DESCRIPTION Flow's definition is in statemachine\/<b>flow<\/b>\.asl\.json \(DefinitionUri\), which the playground cannot read/);
        // User text is text: no <b> element was made from it.
        assert.equal(await page.$('#definition-problems b'), null);
        await screenshot(page, 'import-definition-uri');
      },
      { waitFor: ready },
    );
  });
});
