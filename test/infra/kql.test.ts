import { describe, expect, it } from 'vitest';
import { APP_INSIGHTS_COLUMNS } from './app-insights-schema';
import { checkQuery, identifiersOf } from './kql';

describe('the KQL reader behind the alert checks', () => {
  it('names the columns an expression reads, not its functions, keywords, literals or dynamic properties', () => {
    expect(identifiersOf(`not(toint(resultCode) between (400 .. 499)) and success == false`)).toEqual(['resultCode', 'success']);
    expect(identifiersOf(`customDimensions.Category == "Host.Results" and timestamp > ago(15m)`)).toEqual(['customDimensions', 'timestamp']);
    expect(identifiersOf(`100.0 * failed / total`)).toEqual(['failed', 'total']);
  });

  it('follows the columns each stage produces, so a later stage can only read what the stage before made', () => {
    const ok = checkQuery('requests | where isnotempty(url) | summarize total = count(), failed = countif(toint(resultCode) >= 500) by operation_Name | extend pct = 100.0 * failed / total', APP_INSIGHTS_COLUMNS);
    expect(ok.problems).toEqual([]);
    expect(ok.output).toEqual(['total', 'failed', 'operation_Name', 'pct']);
    expect(checkQuery('requests | summarize total = count() | where url != ""', APP_INSIGHTS_COLUMNS).problems).toEqual([
      '"where url != """ reads url, which the summarize before it does not have',
    ]);
  });

  it('refuses a workspace column name on a classic table, an unknown table and an operator it cannot follow', () => {
    expect(checkQuery('requests | where ResultCode == "500"', APP_INSIGHTS_COLUMNS).problems).toEqual(['"where ResultCode == "500"" reads ResultCode, which table requests does not have']);
    expect(checkQuery('AppRequests | where Success == false', APP_INSIGHTS_COLUMNS).problems[0]).toMatch(/table "AppRequests" is not one of requests, exceptions, traces, customMetrics/);
    expect(checkQuery('traces | join (requests) on operation_Id', APP_INSIGHTS_COLUMNS).problems[0]).toMatch(/operator this reader does not know/);
    expect(checkQuery('customMetrics | where name == "x" | summarize v = sum(valueSum) by cloud_RoleName', APP_INSIGHTS_COLUMNS).problems).toEqual([]);
  });
});
