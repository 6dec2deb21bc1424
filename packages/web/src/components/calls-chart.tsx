import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

interface CallLike {
  readonly start: string;
  readonly disposition: string;
}

const hour_ms = 3_600_000;

/** Answered and other calls per hour as stacked bars, with the figures also in a visually hidden table. */
export function CallsPerHourChart({
  cdrs,
  from_ms,
  hours,
}: {
  cdrs: readonly CallLike[];
  from_ms: number;
  hours: number;
}) {
  const start = Math.floor(from_ms / hour_ms) * hour_ms;
  const buckets = Array.from({ length: hours }, (_, i) => ({
    at_ms: start + i * hour_ms,
    hour: new Date(start + i * hour_ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    answered: 0,
    other: 0,
  }));
  for (const c of cdrs) {
    const index = Math.floor((Date.parse(c.start) - start) / hour_ms);
    const bucket = buckets[index];
    if (!bucket) continue;
    if (c.disposition === 'answered') bucket.answered += 1;
    else bucket.other += 1;
  }
  return (
    <figure className="chart">
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart
            accessibilityLayer={false}
            data={buckets}
            margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="hour" interval="preserveStartEnd" />
            <YAxis allowDecimals={false} width={32} />
            <Tooltip />
            <Legend />
            <Bar dataKey="answered" name="Answered" stackId="calls" fill="#1b6e3a" />
            <Bar dataKey="other" name="Not answered" stackId="calls" fill="#b3261e" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">
        <table>
          <caption>Calls per hour</caption>
          <thead>
            <tr>
              <th scope="col">Hour</th>
              <th scope="col">Answered</th>
              <th scope="col">Not answered</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.at_ms}>
                <td>{b.hour}</td>
                <td>{b.answered}</td>
                <td>{b.other}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
