"""The owner portal's payments: stored payment methods, auto-pay and payment history."""
