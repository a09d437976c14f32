"""Office reports: match reports, 1-3-1-1 service tracking, monthly dispatch, early warning, fairness."""
