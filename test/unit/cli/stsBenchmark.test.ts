import assert from 'node:assert/strict';
import { parseStsFile } from '../../../src/cli/stsBenchmark';

describe('parseStsFile', () => {
  it('reads score (column 5) and sentences (columns 6, 7), ignoring extra columns', () => {
    const content = 'main-captions\tMSRvid\t2012test\t0001\t5.000\tA man.\tA guy.\n' + 'main-news\tx\t2015\t0002\t1.5\tOne\tTwo\tsrc1\tsrc2\n';
    const { pairs, skipped } = parseStsFile(content);
    assert.deepEqual(skipped, []);
    assert.deepEqual(pairs, [
      { line: 1, score: 5, sentence1: 'A man.', sentence2: 'A guy.' },
      { line: 2, score: 1.5, sentence1: 'One', sentence2: 'Two' },
    ]);
  });

  it('keeps unbalanced double quotes as text (quoting is off)', () => {
    const content = 'g\tf\ty\t1\t3.2\t"Quoted start\tend" here\n' + 'g\tf\ty\t2\t0.4\ta "b\tc\n';
    const { pairs } = parseStsFile(content);
    assert.equal(pairs.length, 2);
    assert.equal(pairs[0].sentence1, '"Quoted start');
    assert.equal(pairs[0].sentence2, 'end" here');
    assert.equal(pairs[1].sentence1, 'a "b');
  });

  it('skips a header, short rows and non-numeric scores, and reports their lines', () => {
    const content =
      'genre\tfile\tyear\tid\tscore\ts1\ts2\r\n' + 'g\tf\ty\t1\t4\ta\tb\r\n' + 'too\tshort\r\n' + 'g\tf\ty\t2\t\ta\tb\r\n' + 'g\tf\ty\t3\t2e0\tc\td\r\n';
    const { pairs, skipped } = parseStsFile(content);
    assert.deepEqual(
      pairs.map((p) => [p.line, p.score, p.sentence2]),
      [
        [2, 4, 'b'],
        [5, 2, 'd'],
      ],
    );
    assert.deepEqual(
      skipped.map((s) => s.line),
      [1, 3, 4],
    );
    assert.match(skipped[0].reason, /score column is not a number/);
    assert.match(skipped[1].reason, /2 columns, need at least 7/);
  });

  it('reads a comma-separated file with a sentence1,sentence2,score header and CSV quoting (Hugging Face stsb layout)', () => {
    const content = 'sentence1,sentence2,score\n' + '"A man, with a hat.","A man wears a hat.",4.2\n' + 'He said ""hi"".,Hello.,1\n' + 'broken,row\n';
    const { pairs, skipped } = parseStsFile(content);
    assert.deepEqual(pairs, [
      { line: 2, score: 4.2, sentence1: 'A man, with a hat.', sentence2: 'A man wears a hat.' },
      { line: 3, score: 1, sentence1: 'He said ""hi"".', sentence2: 'Hello.' },
    ]);
    assert.deepEqual(
      skipped.map((s) => s.line),
      [4],
    );
  });

  it('finds named columns in a tab-separated header: SICK and GLUE STS-B layouts', () => {
    const sick = 'pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n1\tA dog runs.\tA dog is running.\t4.8\tENTAILMENT\n';
    assert.deepEqual(parseStsFile(sick).pairs, [{ line: 2, score: 4.8, sentence1: 'A dog runs.', sentence2: 'A dog is running.' }]);
    const glue =
      'index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n0\tmain-captions\tMSRvid\t2012test\t0001\tnone\tnone\tA plane.\tAn air plane.\t5.000\n';
    assert.deepEqual(parseStsFile(glue).pairs, [{ line: 2, score: 5, sentence1: 'A plane.', sentence2: 'An air plane.' }]);
  });
});
