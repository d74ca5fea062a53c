/** GETs a URL and reads its JSON body, whatever the status. */
export async function getJson(url: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url);
  return { status: res.status, json: await res.json() };
}
