"""Labour-market figures beside the vacancies: job seekers per region and occupation group (LLO-Radar part 2)."""
