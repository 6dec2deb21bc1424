import { formatMicro, minorToMicro, periodPattern } from '@telekommune/pbx';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { RevenueBookingRuntime } from '../../revenue-booking-runtime.js';
import { requireOperator } from '../auth.js';
import { ApiError } from '../errors.js';

const bookingSchema = z.object({
  period: z.string(),
  outcome: z.enum(['booked', 'already-booked', 'nothing-to-book']),
  amount: z.string().optional(),
  currency: z.string().optional(),
  bookedAt: z.string().optional(),
  reference: z.string().optional(),
});

/**
 * Books a closed month's call revenue to the enterprise in the commune
 * ledger (operator): what the server also does by itself after each month.
 */
export function revenueRoutes(app: FastifyInstance, _ctx: AppContext, revenue: RevenueBookingRuntime): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/billing/revenue/:period',
    {
      schema: {
        tags: ['billing'],
        summary: "Book a closed month's call revenue in the commune ledger (operator)",
        params: z.object({ period: z.string().regex(periodPattern, { error: 'expected a month YYYY-MM' }) }),
        response: { 200: bookingSchema },
      },
    },
    async (request) => {
      requireOperator(request);
      const { period } = request.params;
      const outcome = await revenue.book(period);
      switch (outcome.kind) {
        case 'rejected':
          throw new ApiError(outcome.code, outcome.message);
        case 'nothing-to-book':
          return { period, outcome: outcome.kind };
        case 'booked':
        case 'already-booked':
          return {
            period,
            outcome: outcome.kind,
            amount: formatMicro(minorToMicro(outcome.booking.amount_minor), 2),
            currency: outcome.booking.currency,
            bookedAt: outcome.booking.bookedAt,
            reference: outcome.booking.reference,
          };
      }
    },
  );
}
