/**
 * The columns of the Application Insights tables the alerts read, as an alert scoped to the Application Insights
 * resource sees them (the classic names: `requests`, not the workspace's `AppRequests`). Copied from Microsoft's
 * table schema mapping ("Migrate to workspace-based Application Insights resources", Table schemas:
 * learn.microsoft.com/azure/azure-monitor/app/convert-classic-resource#table-schemas). KQL column names are
 * case-sensitive, so a query that names `ResultCode` on `requests` finds nothing and its alert never fires.
 */
const COMMON = [
  'appId', 'application_Version', 'appName', 'client_Browser', 'client_City', 'client_CountryOrRegion', 'client_IP',
  'client_Model', 'client_OS', 'client_StateOrProvince', 'client_Type', 'cloud_RoleInstance', 'cloud_RoleName',
  'customDimensions', 'iKey', 'itemId', 'itemType', 'operation_Id', 'operation_Name', 'operation_ParentId',
  'operation_SyntheticSource', 'sdkVersion', 'session_Id', 'timestamp', 'user_AccountId', 'user_AuthenticatedId', 'user_Id',
];

export const APP_INSIGHTS_COLUMNS: Record<string, readonly string[]> = {
  requests: [...COMMON, 'customMeasurements', 'duration', 'id', 'itemCount', 'name', 'performanceBucket', 'resultCode', 'source', 'success', 'url'],
  exceptions: [
    ...COMMON, 'assembly', 'customMeasurements', 'details', 'handledAt', 'innermostAssembly', 'innermostMessage', 'innermostMethod',
    'innermostType', 'itemCount', 'message', 'method', 'outerAssembly', 'outerMessage', 'outerMethod', 'outerType', 'problemId',
    'severityLevel', 'type',
  ],
  traces: [...COMMON, 'customMeasurements', 'itemCount', 'message', 'severityLevel'],
  customMetrics: [...COMMON, 'name', 'value', 'valueCount', 'valueMax', 'valueMin', 'valueSum'],
};
