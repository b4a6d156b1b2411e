"""Measure schedules: which instruments at which timepoints, client enrolments, the daily due/overdue/missed scan and follow-up rates."""
