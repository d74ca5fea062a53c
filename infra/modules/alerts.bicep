// Alerts an operator acts on: failed function executions (runs), dead letters waiting for replay,
// and a 5xx rate on the HTTP endpoints. Without an e-mail address they still fire and show in the
// portal; with one they also notify.

param namePrefix string
param location string
param tags object

param appInsightsId string
param cosmosAccountId string
param cosmosDatabaseName string

@description('Name of the Cosmos container that holds dead letters (shared/store/containers.ts).')
param deadLetterContainerName string

@description('E-mail address that receives alerts; empty for no notification.')
param alertEmail string

@description('Percentage of HTTP requests answered 5xx over 15 minutes above which the alert fires.')
@minValue(1)
@maxValue(100)
param http5xxPercentThreshold int

var notify = !empty(alertEmail)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (notify) {
  name: '${namePrefix}-ag'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'pcs-alerts'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = notify ? [{ actionGroupId: actionGroup.id }] : []

// Function executions that ended in an error: queue and timer runs, and HTTP calls that failed with
// a server error. 4xx answers (bad signature, invalid body) are the caller's problem and are left out;
// a result code that is not a number is kept (toint gives null, which a bare `between` would drop).
resource failedRuns 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${namePrefix}-failed-runs'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Function executions failed'
    description: 'At least one function execution failed in the last 15 minutes. The dimension names the function.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'requests | where success == false | extend code = toint(resultCode) | where isnull(code) or code !between (400 .. 499) | summarize failures = count() by operation_Name'
          timeAggregation: 'Total'
          metricMeasureColumn: 'failures'
          dimensions: [
            {
              name: 'operation_Name'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: map(actions, a => a.actionGroupId)
    }
  }
}

resource http5xxRate 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${namePrefix}-http-5xx-rate'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'HTTP 5xx rate'
    description: 'More than ${http5xxPercentThreshold}% of HTTP requests (at least 10) answered 5xx over 15 minutes.'
    severity: 1
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'requests | where isnotempty(url) | summarize total = count(), failed = countif(toint(resultCode) >= 500) | where total >= 10 | extend failedPercent = 100.0 * failed / total'
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'failedPercent'
          operator: 'GreaterThan'
          threshold: http5xxPercentThreshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: map(actions, a => a.actionGroupId)
    }
  }
}

// A message lands in the dead-letter container after the queue's maxDequeueCount failures. The
// alert stays active while any dead letter is kept (30-day TTL), so replaying or deleting them
// resolves it.
resource deadLetters 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: '${namePrefix}-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'Dead letters are waiting in ${cosmosDatabaseName}/${deadLetterContainerName}: list and replay them.'
    severity: 2
    enabled: true
    scopes: [cosmosAccountId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'deadLetterDocuments'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          metricName: 'DocumentCount'
          dimensions: [
            {
              name: 'DatabaseName'
              operator: 'Include'
              values: [cosmosDatabaseName]
            }
            {
              name: 'CollectionName'
              operator: 'Include'
              values: [deadLetterContainerName]
            }
          ]
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: actions
  }
}
